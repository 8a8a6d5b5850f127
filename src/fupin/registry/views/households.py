"""The registry's pages: the household list, the household page and its edit forms.

Thin views: reads through registry.selectors (the scoping choke point), writes through
registry.services and registry.lifecycle; a service's ValidationError lands under its field,
a stale version re-renders the form with everything the user typed and a message; a workflow step
posted from a button says what happened as a message (core.steps.run_step).
"""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.assistance import selectors as assistance
from fupin.core.forms import form_page
from fupin.core.permissions import require
from fupin.core.scoping import get_visible_or_404
from fupin.core.steps import run_step
from fupin.monitoring import selectors_lists as monitoring
from fupin.regions import selectors as region_selectors
from fupin.registry import selectors, services, timeline
from fupin.registry.choices import ExitReview, Status
from fupin.registry.forms import (
    CheckForm,
    HouseholdForm,
    IncomeForm,
    MemberForm,
    TransitionForm,
)
from fupin.registry.lifecycle import TRANSITION_PERMS, run_transition
from fupin.registry.models import Household, LivingCheck, Member, YearlyIncome
from fupin.registry.reveal import reveal as reveal_value
from fupin.registry.reveal import shown

REVEALABLE = {
    "household": (Household, ("phone", "bank_account")),
    "member": (Member, ("id_number", "health", "disability")),
}


def available_actions(user, household) -> list[dict]:
    """The workflow buttons this user may press on this household now (the services re-check).

    Every step needs a reason (意见); refusing a review step sends the proposal back.
    """
    candidates = []
    if household.status in (Status.REGISTERED, Status.RETURNED) and not household.exit_review:
        candidates.append(("identify", _("识别为贫困户"), None, "btn-primary"))
    if household.status in (Status.POOR, Status.RETURNED) and not household.exit_review:
        candidates.append(("propose_exit", _("提出脱贫"), None, "btn-primary"))
    if household.exit_review == ExitReview.PROPOSED:
        candidates += [
            ("check_exit", _("乡镇审核通过"), True, "btn-primary"),
            ("check_exit", _("退回"), False, ""),
        ]
    if household.exit_review == ExitReview.CHECKED:
        candidates += [
            ("approve_exit", _("县级批准脱贫"), True, "btn-primary"),
            ("approve_exit", _("退回"), False, ""),
        ]
    if household.status == Status.EXITED:
        candidates.append(("return", _("标记返贫"), None, "btn-danger"))
    return [
        {"name": name, "label": label, "approve": approve, "css": css}
        for name, label, approve, css in candidates
        if user.has_perm(TRANSITION_PERMS[name])
    ]


def _household(request, pk: int) -> Household:
    return get_visible_or_404(Household.objects.select_related("village"), request.user, pk=pk)


@login_required
def household_detail(request, pk: int):
    household = _household(request, pk)
    detail = selectors.household_detail(household)
    chart = {
        "years": [i.year for i in detail["incomes"]],
        "per_capita": [float(i.per_capita) for i in detail["incomes"]],
        "line": [float(i.line) if i.line is not None else None for i in detail["incomes"]],
        "labels": {"per_capita": _("人均纯收入"), "line": _("贫困线")},
    }
    checks = [
        {
            "year": check.year,
            "passed": check.passed,
            "items": [
                {
                    "label": LivingCheck._meta.get_field(item).verbose_name,
                    "ok": getattr(check, item),
                    "reason": (check.reasons or {}).get(item, ""),
                }
                for item in LivingCheck.ITEMS
            ],
        }
        for check in detail["checks"]
    ]
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "village_path": " › ".join(r.name for r in region_selectors.path_of(household.village)),
            **detail,
            "checks": checks,
            "timeline": timeline.merged(detail["events"], household, request.user),
            "chart": chart,
            "chart_json": json.dumps(chart, ensure_ascii=False),
            "can_reveal": request.user.has_perm("registry.reveal_household"),
            "can_edit": request.user.has_perm("registry.change_household"),
            "actions": available_actions(request.user, household),
            "transition_form": TransitionForm(),
            **_assistance_context(request.user, household),
            # 防返贫监测: the object, its open cases and their deadlines (monitoring's selectors, scoped).
            "monitoring": monitoring.household_monitoring(household, request.user),
        },
    )


def _assistance_context(user, household) -> dict:
    """帮扶责任人, 一户一策 and 记录走访 for the household page, read through the assistance app's
    selectors (its scoping included); the links only for those who may follow them."""
    may_record = user.has_perm("assistance.add_visit")
    return {
        "assistance": assistance.household_assistance(household, user),
        "visit_url": reverse("assistance:visit_record", args=[household.pk]) if may_record else None,
        "plan_url": (
            reverse("assistance:plan_detail", args=[household.pk])
            if user.has_perm("assistance.view_measure")
            else None
        ),
    }


def _household_page(household) -> dict:
    """Where a household's form sits in the breadcrumb and where 返回 leads."""
    detail = reverse("registry:household_detail", args=[household.pk])
    return {"household": household, "crumbs": [(household.number, detail)], "back": detail}


@login_required
def household_create(request):
    form = HouseholdForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        perm="registry.add_household",
        write=lambda f: services.household_create(by=request.user, request=request, **f.service_fields()),
        done=_("已新增农户。"),
        success=lambda household: reverse("registry:household_detail", args=[household.pk]),
        template="registry/household_form.html",
        title=_("新增农户"),
        back=reverse("registry:household_list"),
        head_fields=HouseholdForm.HEAD_FIELDS,
    )


@login_required
def household_edit(request, pk: int):
    household = _household(request, pk)
    initial = {
        "version": household.version,
        "village": household.village_id,
        **{
            name: getattr(household, name)
            for name in HouseholdForm.base_fields
            if name not in ("version", "village", *HouseholdForm.SECRET_FIELDS, *HouseholdForm.HEAD_FIELDS)
        },
    }
    form = HouseholdForm(request.POST or None, user=request.user, initial=initial, editing=True)
    page = _household_page(household)
    return form_page(
        request,
        form,
        perm="registry.change_household",
        write=lambda f: services.household_update(
            by=request.user,
            household=household,
            version=f.cleaned_data["version"] or 0,
            request=request,
            **f.service_fields(),
        ),
        success=page["back"],
        template="registry/household_form.html",
        title=_("编辑农户"),
        **page,
    )


@login_required
def member_add(request, pk: int):
    household = _household(request, pk)
    form = MemberForm(request.POST or None)
    page = _household_page(household)
    return form_page(
        request,
        form,
        perm="registry.change_household",
        write=lambda f: services.member_add(
            by=request.user, household=household, request=request, **f.service_fields()
        ),
        success=page["back"],
        template="registry/household_form.html",
        title=_("新增家庭成员"),
        **page,
    )


@login_required
def member_edit(request, pk: int):
    member = get_visible_or_404(Member.objects.select_related("household__village"), request.user, pk=pk)
    initial = {name: getattr(member, name) for name in MemberForm.base_fields if hasattr(member, name)}
    initial.update(version=member.version, id_number="", health="", disability="")
    form = MemberForm(request.POST or None, initial=initial, editing=True)
    page = _household_page(member.household)
    return form_page(
        request,
        form,
        perm="registry.change_household",
        write=lambda f: services.member_update(
            by=request.user,
            member=member,
            version=f.cleaned_data["version"] or 0,
            request=request,
            **f.service_fields(),
        ),
        success=page["back"],
        template="registry/household_form.html",
        title=_("编辑家庭成员"),
        subtitle=member.name,
        **page,
    )


def _year_param(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isascii() and value.isdigit() and 2000 <= int(value) <= 2100 else None


@login_required
def income_record(request, pk: int):
    household = _household(request, pk)
    require(request, "registry.change_household")
    initial = {}
    year = _year_param(request)
    if year:
        existing = YearlyIncome.objects.filter(household=household, year=year).first()
        initial = {"year": year}
        if existing:
            initial.update({f: getattr(existing, f) for f in IncomeForm.base_fields if f != "year"})
    form = IncomeForm(request.POST or None, initial=initial)
    page = _household_page(household)
    return form_page(
        request,
        form,
        write=lambda f: services.income_record(
            by=request.user, household=household, request=request, **f.cleaned_data
        ),
        success=page["back"] + "#incomes",
        template="registry/household_income_form.html",
        title=_("录入年度收入"),
        **page,
    )


@login_required
def check_record(request, pk: int):
    household = _household(request, pk)
    require(request, "registry.change_household")
    initial = {}
    year = _year_param(request)
    if year:
        initial = {"year": year}
        existing = LivingCheck.objects.filter(household=household, year=year).first()
        if existing:
            for item in LivingCheck.ITEMS:
                initial[item] = "1" if getattr(existing, item) else "0"
                initial[f"{item}_reason"] = (existing.reasons or {}).get(item, "")
    form = CheckForm(request.POST or None, initial=initial)
    page = _household_page(household)
    return form_page(
        request,
        form,
        write=lambda f: services.check_record(
            by=request.user, household=household, request=request, **f.service_fields()
        ),
        success=page["back"] + "#checks",
        template="registry/household_check_form.html",
        title=_("录入两不愁三保障"),
        **page,
    )


@login_required
@require_POST
def household_transition(request, pk: int):
    household = _household(request, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():  # the step named decides the permission; an invalid form is said by run_step
        require(request, TRANSITION_PERMS[form.cleaned_data["action"]])
    return run_step(
        request,
        lambda: run_transition(
            form.cleaned_data["action"],
            by=request.user,
            household=household,
            approve=form.cleaned_data["approve"],
            reason=form.cleaned_data["reason"],
            year=form.cleaned_data["year"],
            request=request,
        ),
        form=form,
        success=reverse("registry:household_detail", args=[household.pk]),
    )


@login_required
@require_POST
def reveal(request):
    """The full value of one masked field, for a user with registry.reveal_household (audited)."""
    kind, field = request.POST.get("type", ""), request.POST.get("field", "")
    obj_id = request.POST.get("id", "")
    if (
        kind not in REVEALABLE
        or field not in REVEALABLE[kind][1]
        or not (obj_id.isascii() and obj_id.isdigit())
    ):
        return HttpResponse(_("参数有误。"), status=400)
    model = REVEALABLE[kind][0]
    obj = get_visible_or_404(model.objects.all(), request.user, pk=int(obj_id[:18]))
    # The service checks registry.reveal_household and audits a refusal as well as each reveal.
    value = reveal_value(by=request.user, request=request, obj=obj, field=field)
    return render(request, "registry/_revealed.html", {"value": shown(field, value)})
