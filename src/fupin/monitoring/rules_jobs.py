"""Rule runs and data-quality checks as jobs on the queue (fupin.jobs): from the rules page, the API
and `fupin monitoring run|quality`, each runs in the consumer with its progress on the job's page
(/jobs/<id>/) and on the command line. The work itself is rules.run_rules and quality.run_checks,
plain functions with a progress callback.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.core.permissions import require
from fupin.jobs.kinds import Kind, register
from fupin.jobs.services import JobFailed, enqueue, job_task, progress
from fupin.monitoring import quality, rules


def _run_links(job) -> list[tuple[str, str]]:
    run = (job.result or {}).get("run")
    if not run:
        return []
    return [
        (_("查看运行结果"), reverse("monitoring:rule_run", args=[run])),
        (_("风险线索"), reverse("monitoring:lead_list") + "?channel=rule"),
    ]


def _quality_links(job) -> list[tuple[str, str]]:
    if (job.result or {}).get("findings") is None:
        return []
    county = job.result.get("county", "")
    return [(_("查看数据质量问题"), reverse("monitoring:quality_list") + f"?division={county}")]


RUN = register(
    Kind(
        "monitoring.rules",
        gettext_lazy("运行预警规则"),
        result_template="monitoring/rule_run_job.html",
        links=_run_links,
        parent=("monitoring:rules", gettext_lazy("预警规则")),
        failure=gettext_lazy("运行预警规则时发生内部错误,未写入任何线索。请联系系统管理员。"),
    )
)
CHECK = register(
    Kind(
        "monitoring.quality",
        gettext_lazy("数据质量检查"),
        result_template="monitoring/rule_quality_job.html",
        links=_quality_links,
        parent=("monitoring:rules", gettext_lazy("预警规则")),
        failure=gettext_lazy("数据质量检查时发生内部错误,原有检查结果未改变。请联系系统管理员。"),
    )
)


def _user(user_id):
    return get_user_model().objects.get(pk=user_id) if user_id else None


def _refusal(exc) -> str:
    if isinstance(exc, ValidationError):
        return ";".join(exc.messages)
    return str(exc) or _("没有权限。")


def start_run(*, user, area_code: str, period: str | None = None, kinds=None):
    """Check the request (area, period, permission) now, then queue the run; returns the job.
    `user` None: the command line (the operator: no permission asked)."""
    period = period or rules.current_period()
    area = rules.check_run(area_code=area_code, period=period)
    if user is not None:
        require(user, "monitoring.run_rules", code=area.code)
    rules.active_rules(kinds)  # unknown kinds refused before queueing
    return enqueue(
        RUN.name,
        user,
        run_rules_job,
        label=f"{area} {period}",
        user_id=getattr(user, "pk", None),
        area_code=area.code,
        period=period,
        kinds=list(kinds) if kinds else None,
    )


@job_task
def run_rules_job(job_id: str, *, user_id, area_code: str, period: str, kinds=None) -> dict:
    def report(done: int, total: int, message: str) -> None:
        progress(job_id, done, total, message, force=done == total)

    try:
        run = rules.run_rules(
            area_code=area_code, period=period, by=_user(user_id), kinds=kinds, progress=report, job_id=job_id
        )
    except (ValidationError, PermissionDenied) as exc:
        raise JobFailed(_refusal(exc)) from exc
    return {
        "run": run.pk,
        "area": area_code,
        "period": period,
        "counts": run.counts,
        "fired": sum(c["fired"] for c in run.counts.values()),
        "new": sum(c["new"] for c in run.counts.values()),
    }


def start_checks(*, user, county_code: str):
    """Queue the county's data-quality checks; returns the job."""
    county = quality.check_county(county_code)
    if user is not None:
        require(user, "monitoring.run_rules", code=county.code)
    return enqueue(
        CHECK.name,
        user,
        run_checks_job,
        label=str(county),
        user_id=getattr(user, "pk", None),
        county_code=county.code,
    )


@job_task
def run_checks_job(job_id: str, *, user_id, county_code: str) -> dict:
    def report(done: int, total: int, message: str) -> None:
        progress(job_id, done, total, message, force=done == total)

    try:
        found = quality.run_checks(county_code=county_code, by=_user(user_id), progress=report)
    except (ValidationError, PermissionDenied) as exc:
        raise JobFailed(_refusal(exc)) from exc
    return {"county": county_code, "findings": found, "counts": quality.finding_counts(county_code)}
