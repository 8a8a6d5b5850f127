"""The documents app's work on the queue (fupin.jobs imports every app's tasks.py in every process).

- `documents.cards`: a village's 明白卡, one PDF, a card a page (always masked), written with
  `jobs.services.output_file`; its page `/jobs/<id>/` offers the file to download (audited there).
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.documents import cards
from fupin.jobs.kinds import Kind, register
from fupin.jobs.services import JobFailed, enqueue, job_task, output_file, progress
from fupin.regions.models import Region

VILLAGE_CARDS = register(
    Kind(
        "documents.cards",
        gettext_lazy("打印本村明白卡"),
        parent=("documents:card_batch", gettext_lazy("打印本村明白卡")),
        again=gettext_lazy("再打印一个村"),
        failure=gettext_lazy("生成明白卡时发生内部错误,已记录在系统日志中。请联系系统管理员。"),
    )
)


@job_task
def village_cards_job(job_id: str, *, user_id: int | None, village: str, size: str = "A5") -> dict:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user_id and user is None:
        raise JobFailed(_("账号已停用,任务未执行。"))
    region = Region.objects.filter(code=village).first()
    if region is None:
        raise JobFailed(_("没有这个村。"))

    def report(done: int, total: int, message: str) -> None:
        progress(job_id, done, total, message, force=done == total)

    pdf, count = cards.village_cards(user, village, size=size, progress=report)
    if not count:
        raise JobFailed(_("该村没有您可以查看的农户。"))
    output_file(job_id, cards.village_file_name(region, size=size)).write_bytes(pdf)
    return {"count": count, "masked": True, "filters": {"village": village, "size": size}}


def start_village_cards(*, by, village, size: str = "A5"):
    """Queue the 明白卡 of `village` (a Region the caller checked is in `by`'s scope) as `by`'s job."""
    label = f"{village.short_name or village.name} {size}"
    return enqueue(
        VILLAGE_CARDS.name, by, village_cards_job, label=label, user_id=by.pk if by else None,
        village=village.code, size=size,
    )  # fmt: skip


# --- the assisting unit's results report (helper "results") --------------------------------------
#
# `documents.results`: the unit's yearly (or several years') results report as .docx, rendered from
# the editable template docx/results_report.docx; the file through output_file, downloaded (and
# audited) on the job's page. Nothing personal in it: `masked` is True.

from fupin.documents import results as results_report  # noqa: E402

RESULTS_REPORT = register(
    Kind(
        "documents.results",
        gettext_lazy("生成帮扶成效报告"),
        parent=("documents:results", gettext_lazy("帮扶成效报告")),
        again=gettext_lazy("再生成一份报告"),
        failure=gettext_lazy("生成帮扶成效报告时发生内部错误,已记录在系统日志中。请联系系统管理员。"),
    )
)


@job_task
def results_report_job(job_id: str, *, user_id: int | None, unit_id: int, first: int, last: int) -> dict:
    from fupin.core.permissions import may
    from fupin.orgs.selectors import unit_for

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user_id and user is None:
        raise JobFailed(_("账号已停用,任务未执行。"))
    # Asked again when the job runs: a role or a scope may have changed since it was queued.
    if user is not None and not may(user, "documents.print_results"):
        raise JobFailed(_("没有权限。"))
    unit = unit_for(user, unit_id)
    if unit is None:
        raise JobFailed(_("没有这个单位,或您无权查看。"))
    progress(job_id, 0, 3, _("汇总数据"), force=True)
    report = results_report.gather(unit, first, last)
    progress(job_id, 1, 3, _("绘制图表"), force=True)
    images = results_report.charts(report)
    progress(job_id, 2, 3, _("生成文档"), force=True)
    results_report.render(report, output_file(job_id, results_report.filename(report)), images=images)
    progress(job_id, 3, 3, _("完成"), force=True)
    return {
        "count": len(report["sources"]),
        "masked": True,
        "filters": {"unit": unit.pk, "unit_name": unit.name, "years": f"{first}-{last}"},
    }


def start_results_report(*, by, unit, first: int, last: int):
    """Queue `unit`'s results report for `first`..`last` as `by`'s job (the caller checked the
    permission and that `by` may see the unit; the task asks again)."""
    label = f"{unit.short_name or unit.name} {results_report.span_text(first, last)}"
    return enqueue(
        RESULTS_REPORT.name, by, results_report_job, label=label, user_id=by.pk if by else None,
        unit_id=unit.pk, first=first, last=last,
    )  # fmt: skip
