"""The registry's pages: the household list, the household page and its edit forms.

Thin views: reads through registry.selectors (the scoping choke point), writes through
registry.services and registry.lifecycle; a service's ValidationError lands under its field,
a stale version re-renders the form with everything the user typed and a message.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.errors import StaleVersion, TransitionRefused
from fupin.core.forms import apply_service_errors
from fupin.core.menu import url_or_none
from fupin.core.pagination import paginate
from fupin.core.scoping import get_visible_or_404
from fupin.regions import selectors as region_selectors
from fupin.registry import selectors, timeline
from fupin.registry.forms import (
    CheckForm,
    HouseholdForm,
    HouseholdQueryForm,
    IncomeForm,
    MemberForm,
    TransitionForm,
)
from fupin.registry.models import Household, LivingCheck, Member, YearlyIncome

# action -> (permission, lifecycle function name); the services check the rules, this only routes.
TRANSITIONS = {
    "identify": ("registry.identify_household", "household_identify"),
    "propose_exit": ("registry.propose_exit", "exit_propose"),
    "check_exit": ("registry.check_exit", "exit_check"),
    "approve_exit": ("registry.approve_exit", "exit_approve"),
    "return": ("registry.identify_household", "household_return"),
}
TRANSITION_PERMS = {action: perm for action, (perm, _name) in TRANSITIONS.items()}
REVEALABLE = {
    "household": (Household, ("phone", "bank_account")),
    "member": (Member, ("id_number", "health", "disability")),
}

# 共 N 条 counts no further than this: a national-scale search must not count every match.
LIST_COUNT_CAP = 1000


def run_transition(
    action: str,
    *,
    by,
    household,
    approve: bool = True,
    reason: str = "",
    year: int | None = None,
    request=None,
):
    """Call the lifecycle service for `action`; TransitionRefused/StaleVersion/ValidationError pass up.

    Proposing an exit needs a year: the one given, else the latest year with an income record.
    """
    from fupin.registry import lifecycle

    function = getattr(lifecycle, TRANSITIONS[action][1])
    common = {"by": by, "household": household, "reason": reason, "request": request}
    if action in ("check_exit", "approve_exit"):
        return function(approve=approve, **common)
    if action == "propose_exit":
        if year is None:
            year = (
                YearlyIncome.objects.filter(household=household)
                .order_by("-year")
                .values_list("year", flat=True)
                .first()
            )
        if year is None:
            raise TransitionRefused([_("缺少收入数据,无法提出脱贫")])
        return function(year=year, **common)
    return function(**common)


def available_actions(user, household) -> list[dict]:
    """The workflow buttons this user may press on this household now (the services re-check).

    Every step needs a reason (意见); refusing a review step sends the proposal back.
    """
    from fupin.registry.choices import ExitReview, Status

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


def list_query(request):
    """The query form of the household list and the households it selects.

    The one query of the list page and of its exports (registry.views_export): an export gives
    exactly the households the page lists. A filter the form refuses is shown under its field
    and left out (the list); the exports refuse to run on it (form.is_valid() is False).
    """
    form = HouseholdQueryForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, filters, selectors.household_list(user=request.user, filters=filters)


def list_querystring(request) -> str:
    """The list's filters as a query string, without the page: what the export buttons carry."""
    params = request.GET.copy()
    for name in ("page", "size"):
        params.pop(name, None)
    return params.urlencode()


def list_toolbar(user, query: str) -> dict:
    """The list's buttons, each only for a user who may use it (the views check again): 新增 and
    导入/下载模板 need registry.add_household, 导出 registry.view_member, 明文导出 also
    registry.reveal_household. Read-only and assisting-unit roles get 导出 alone."""
    from fupin.registry.exporting import EXPORT_PERM, may_export_clear
    from fupin.registry.views_import import IMPORT_PERM

    suffix = f"?{query}" if query else ""
    may = {
        "household_create": user.has_perm("registry.add_household"),
        "import_upload": user.has_perm(IMPORT_PERM),
        "import_template": user.has_perm(IMPORT_PERM),
        "export": user.has_perm(EXPORT_PERM),
        "export_clear": may_export_clear(user),
    }
    toolbar = {name: url_or_none(f"registry:{name}") if allowed else None for name, allowed in may.items()}
    for name in ("export", "export_clear"):
        if toolbar[name]:
            toolbar[name] += suffix
    return toolbar


@login_required
def household_list(request):
    form, _filters, households = list_query(request)
    return render(
        request,
        "registry/household_list.html",
        {
            "form": form,
            "page": paginate(request, households, count_cap=LIST_COUNT_CAP, counter=selectors.count_up_to),
            "toolbar": list_toolbar(request.user, list_querystring(request)),
        },
    )


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
        },
    )


def _assistance_context(user, household) -> dict:
    """帮扶责任人, 一户一策 and 记录走访 for the household page, read through the assistance app's
    selectors (its scoping included); the links only for those who may follow them."""
    from fupin.assistance import selectors as assistance

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


def _save(request, form, template: str, context: dict, write, success_url: str):
    """Run `write(form)`; on a field error, a stale version or a refusal, re-render with the input kept."""
    if request.method == "POST" and form.is_valid():
        try:
            write(form)
        except StaleVersion as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(success_url)
    return render(request, template, {**context, "form": form}, status=200 if not form.errors else 200)


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("没有权限。"))


@login_required
def household_create(request):
    from fupin.registry import services

    _require(request, "registry.add_household")
    form = HouseholdForm(request.POST or None, user=request.user)
    created = {}

    def write(form):
        created["household"] = services.household_create(
            by=request.user, request=request, **form.service_fields()
        )

    if request.method == "POST" and form.is_valid():
        try:
            write(form)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已新增农户。"))
            return redirect("registry:household_detail", pk=created["household"].pk)
    return render(
        request,
        "registry/household_form.html",
        {"form": form, "title": _("新增农户"), "head_fields": HouseholdForm.HEAD_FIELDS},
    )


@login_required
def household_edit(request, pk: int):
    from fupin.registry import services

    household = _household(request, pk)
    _require(request, "registry.change_household")
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

    def write(form):
        services.household_update(
            by=request.user,
            household=household,
            version=form.cleaned_data["version"] or 0,
            request=request,
            **form.service_fields(),
        )

    return _save(
        request,
        form,
        "registry/household_form.html",
        {"household": household, "title": _("编辑农户")},
        write,
        reverse("registry:household_detail", args=[household.pk]),
    )


@login_required
def member_add(request, pk: int):
    from fupin.registry import services

    household = _household(request, pk)
    _require(request, "registry.change_household")
    form = MemberForm(request.POST or None)

    def write(form):
        services.member_add(by=request.user, household=household, request=request, **form.service_fields())

    return _save(
        request,
        form,
        "registry/household_member_form.html",
        {"household": household, "title": _("新增家庭成员")},
        write,
        reverse("registry:household_detail", args=[household.pk]),
    )


@login_required
def member_edit(request, pk: int):
    from fupin.registry import services

    member = get_visible_or_404(Member.objects.select_related("household__village"), request.user, pk=pk)
    household = member.household
    _require(request, "registry.change_household")
    initial = {name: getattr(member, name) for name in MemberForm.base_fields if hasattr(member, name)}
    initial.update(version=member.version, id_number="", health="", disability="")
    form = MemberForm(request.POST or None, initial=initial, editing=True)

    def write(form):
        services.member_update(
            by=request.user,
            member=member,
            version=form.cleaned_data["version"] or 0,
            request=request,
            **form.service_fields(),
        )

    return _save(
        request,
        form,
        "registry/household_member_form.html",
        {"household": household, "member": member, "title": _("编辑家庭成员")},
        write,
        reverse("registry:household_detail", args=[household.pk]),
    )


def _year_param(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isascii() and value.isdigit() and 2000 <= int(value) <= 2100 else None


@login_required
def income_record(request, pk: int):
    from fupin.registry import services

    household = _household(request, pk)
    _require(request, "registry.change_household")
    initial = {}
    year = _year_param(request)
    if year:
        existing = YearlyIncome.objects.filter(household=household, year=year).first()
        initial = {"year": year}
        if existing:
            initial.update({f: getattr(existing, f) for f in IncomeForm.base_fields if f != "year"})
    form = IncomeForm(request.POST or None, initial=initial)

    def write(form):
        services.income_record(by=request.user, household=household, request=request, **form.cleaned_data)

    return _save(
        request,
        form,
        "registry/household_income_form.html",
        {"household": household, "title": _("录入年度收入")},
        write,
        reverse("registry:household_detail", args=[household.pk]) + "#incomes",
    )


@login_required
def check_record(request, pk: int):
    from fupin.registry import services

    household = _household(request, pk)
    _require(request, "registry.change_household")
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

    def write(form):
        services.check_record(by=request.user, household=household, request=request, **form.service_fields())

    return _save(
        request,
        form,
        "registry/household_check_form.html",
        {"household": household, "title": _("录入两不愁三保障")},
        write,
        reverse("registry:household_detail", args=[household.pk]) + "#checks",
    )


@login_required
@require_POST
def household_transition(request, pk: int):
    household = _household(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("操作无效。"))
        return redirect("registry:household_detail", pk=household.pk)
    action = form.cleaned_data["action"]
    _require(request, TRANSITION_PERMS[action])
    try:
        run_transition(
            action,
            by=request.user,
            household=household,
            approve=form.cleaned_data["approve"],
            reason=form.cleaned_data["reason"],
            year=form.cleaned_data["year"],
            request=request,
        )
    except TransitionRefused as exc:
        for reason in exc.reasons:
            messages.error(request, reason)
    except StaleVersion as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("操作成功。"))
    return redirect("registry:household_detail", pk=household.pk)


@login_required
@require_POST
def reveal(request):
    """The full value of one masked field, for a user with registry.reveal_household (audited)."""
    from fupin.registry.reveal import reveal as reveal_value
    from fupin.registry.reveal import shown

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
