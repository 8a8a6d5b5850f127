"""The rollup's work on the queue (fupin.jobs imports every app's tasks.py in every process).

- `refresh_job`: a refresh asked for by a person (the 刷新 button, `POST /api/reports/refresh`,
  `fupin reports refresh`): a Job row with progress per indicator.
- `drain_dirty` (every minute): the incremental refresh of the division codes the write hooks
  marked (apps.py). No Job row for it: 1,440 a day would bury people's own jobs; its record is the
  `RefreshRun` it writes, and only when something was marked. Several consumers may schedule it;
  a lock in the queue's storage lets one drain at a time.
- `nightly_refresh` (02:00 Beijing time): a full refresh, for the writes no hook sees (bulk
  updates, a record moved between villages).
"""

import logging

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task
from huey.exceptions import TaskLockedException

from fupin.jobs.kinds import Kind, register
from fupin.jobs.services import enqueue, job_task, local_crontab, progress, queue
from fupin.reports import services

log = logging.getLogger(__name__)

REFRESH = register(
    Kind(
        "reports.refresh",
        gettext_lazy("刷新统计汇总"),
        parent=("reports:indicator_list", gettext_lazy("指标目录")),
        failure=gettext_lazy("刷新统计汇总时发生内部错误。请联系系统管理员。"),
    )
)


@job_task
def refresh_job(job_id: str, *, indicators: list[str] | None = None, area: str = "") -> dict:
    def report(done: int, total: int, message: str) -> None:
        progress(job_id, done, total, message, force=done == total)

    run = services.refresh(indicators=indicators, area=area, progress=report)
    return {"run": run.pk, "indicators": run.indicators, "rows": run.rows, "seconds": run.seconds}


def start_refresh(*, by, indicators: list[str] | None = None, area: str = ""):
    """Queue a full refresh (of `indicators`, or all; of the records under `area`, or everywhere)
    as `by`'s job; returns the job. The caller checked the permission and that `area` is in the
    user's scope."""
    label = " ".join([area, ", ".join(indicators or []) or _("全部指标")]).strip()
    return enqueue(REFRESH.name, by, refresh_job, label=label, indicators=indicators, area=area)


def drain_now():
    """The incremental refresh of the marked codes, unless another consumer is at it."""
    try:
        with queue().lock_task("reports-drain"):
            return services.drain()
    except TaskLockedException:
        log.info("rollup drain already running elsewhere; skipped")
        return None


@db_periodic_task(crontab(minute="*"))
def drain_dirty():
    drain_now()


@db_periodic_task(local_crontab(minute="0", hour="2"))
def nightly_refresh():
    try:
        with queue().lock_task("reports-drain"):
            services.refresh()
    except TaskLockedException:
        log.info("rollup refresh already running elsewhere; skipped")


# --- 报表 generated on the queue (a city's or a province's form: reports/tabulations.py) ---------

TABULATE = register(
    Kind(
        "reports.tabulate",
        gettext_lazy("生成统计报表"),
        parent=("reports:tabulation_list", gettext_lazy("统计报表")),
        failure=gettext_lazy("生成统计报表时发生内部错误。请联系系统管理员。"),
    )
)


@job_task
def tabulate_job(job_id: str, *, tabulation: int, area: str, period: str, user_id: int | None = None) -> dict:
    from django.contrib.auth import get_user_model

    from fupin.jobs.services import JobFailed, output_file
    from fupin.reports import tabulations

    reader = (
        get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user_id is not None
        else tabulations.system_reader(area)
    )
    form = tabulations.find(reader, tabulation) if reader is not None else None
    if form is None:
        raise JobFailed(_("没有这个报表,或您无权查看。"))
    progress(job_id, 0, 2, _("正在汇总数据"), force=True)
    try:
        table = tabulations.build(reader, form, area=area, period=period)
    except tabulations.OutOfScope as error:
        raise JobFailed(_("该区划不在您的数据范围内。")) from error
    except tabulations.Refused as error:
        raise JobFailed(error.message) from error
    progress(job_id, 1, 2, _("正在写入文件"), force=True)
    tabulations.write_xlsx(table, output_file(job_id, table.filename))
    return {"count": len(table.data_rows), "masked": True, "filters": table.filters(), "title": table.title}


def start_tabulate(*, by, tabulation, area: str, period: str):
    """Queue the generation of `tabulation` for `area` and `period` as `by`'s job; the caller
    checked that the form and the area are the user's to see."""
    return enqueue(
        TABULATE.name,
        by,
        tabulate_job,
        label=f"{tabulation.name} {area} {period}".strip(),
        tabulation=tabulation.pk,
        area=area,
        period=period,
        user_id=getattr(by, "pk", None),
    )
