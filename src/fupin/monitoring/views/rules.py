"""Monitoring pages: the risk rules (预警规则) — the rules as data (name, kind, parameters, active), the
recent runs with their counts, a form to run them over an area (运行), the county's data-quality
findings with the way to their list and a button to check again; and one run's result.

Running is a job on the queue (monitoring.rules_jobs): the browser goes to the job's page and sees
the progress rule by rule. Everyone with a place reads the page; running needs monitoring.run_rules
over the chosen area.
"""

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fupin.core.forms import ScopedForm
from fupin.core.menu import section_for
from fupin.core.permissions import require
from fupin.monitoring import rules, rules_jobs
from fupin.monitoring.models import QualityFinding, RiskRule, RuleRun
from fupin.regions.forms import RegionField

VIEW = "monitoring.view_riskrule"
RUN = "monitoring.run_rules"
RECENT_RUNS = 20


class RunForm(ScopedForm):
    region_fields = ("area",)
    area = RegionField(label=gettext_lazy("运行范围"), help_text=gettext_lazy("县、乡镇或行政村"))
    period = forms.CharField(
        label=gettext_lazy("预警期间"),
        max_length=7,
        help_text=gettext_lazy("同一期间内每户每条规则最多生成一条线索,如 2026-11"),
        widget=forms.TextInput(attrs={"placeholder": "2026-11"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("period", rules.current_period())

    def clean_period(self):
        period = self.cleaned_data["period"].strip()
        if not rules.PERIOD.match(period):
            raise forms.ValidationError(_("期间格式应为YYYY-MM,如2026-11"))
        return period


class CheckForm(ScopedForm):
    region_fields = ("county",)
    county = RegionField(label=gettext_lazy("县(市、区)"), levels=(3,))


def _crumbs(request, *more):
    section = section_for(request)
    return [*([section] if section else []), *more]


def _url_or_none(name: str):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _totals(counts: dict) -> tuple[int, int]:
    return sum(c.get("fired", 0) for c in counts.values()), sum(c.get("new", 0) for c in counts.values())


def _page(request, *, run_form=None, check_form=None, status=200):
    user = request.user
    runs = list(RuleRun.objects.visible_to(user).select_related("area", "by")[:RECENT_RUNS])
    for run in runs:
        run.fired, run.new = _totals(run.counts or {})
    context = {
        "title": _("预警规则"),
        "crumbs": _crumbs(request),
        "rules": [
            (rule, json.dumps(rule.params or {}, ensure_ascii=False, sort_keys=True))
            for rule in RiskRule.objects.select_related("region").order_by("id")
        ],
        "runs": runs,
        "may_run": user.has_perm(RUN),
        "run_form": run_form or RunForm(user=user),
        "check_form": check_form or CheckForm(user=user),
        "findings": QualityFinding.objects.visible_to(user).count(),
        "quality_url": _url_or_none("monitoring:quality_list"),
        "checked_at": QualityFinding.objects.visible_to(user)
        .order_by("-found_at")
        .values_list("found_at", flat=True)
        .first(),
    }
    return render(request, "monitoring/rules.html", context, status=status)


@login_required
def rule_list(request):
    require(request, VIEW)
    return _page(request)


def _refused(form, exc, field: str) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(field if name not in form.fields else name, errors)
    else:
        form.add_error(None, ";".join(getattr(exc, "messages", [str(exc)])))


@login_required
@require_POST
def rule_start(request):
    require(request, RUN)
    form = RunForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            job = rules_jobs.start_run(
                user=request.user,
                area_code=form.cleaned_data["area"].code,
                period=form.cleaned_data["period"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _refused(form, exc, "area")
        else:
            return redirect("jobs:status", job_id=job.pk)
    return _page(request, run_form=form, status=400)


@login_required
@require_POST
def quality_start(request):
    require(request, RUN)
    form = CheckForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            job = rules_jobs.start_checks(user=request.user, county_code=form.cleaned_data["county"].code)
        except (ValidationError, PermissionDenied) as exc:
            _refused(form, exc, "county")
        else:
            return redirect("jobs:status", job_id=job.pk)
    return _page(request, check_form=form, status=400)


@login_required
def rule_run(request, pk: int):
    require(request, VIEW)
    run = RuleRun.objects.visible_to(request.user).select_related("area", "by").filter(pk=pk).first()
    if run is None:
        raise Http404
    rows = [(c["code"], c["name"], c["fired"], c["new"]) for c in rules.rule_counts(run)]
    fired, new = _totals(run.counts or {})
    return render(
        request,
        "monitoring/rule_run.html",
        {
            "title": _("预警规则运行结果"),
            "crumbs": _crumbs(request, (_("预警规则"), reverse("monitoring:rules"))),
            "run": run,
            "rows": rows,
            "fired": fired,
            "new": new,
            "duration": (run.finished_at - run.started_at) if run.finished_at else None,
            "leads_url": _url_or_none("monitoring:lead_list"),
        },
    )


urlpatterns = [
    path("rules/", rule_list, name="rules"),
    path("rules/run/", rule_start, name="rule_start"),
    path("rules/quality/", quality_start, name="rule_quality"),
    path("rules/runs/<int:pk>/", rule_run, name="rule_run"),
]
