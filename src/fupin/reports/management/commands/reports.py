"""`fupin reports refresh [--full] [--indicator CODE …] [--here | --no-wait]`;
`fupin reports tabulate <form id or code> --area 632524 --period 2026-11 --out file.xlsx`.

Without `--full` or `--indicator`: the incremental refresh of the division codes marked by writes
since the last one (what the minutely job does), in this process. With them: a full refresh (of
those indicators), queued on the job queue and followed until it ends like every long command;
`--here` runs it in this process instead (no consumer needed: `fupin demo`, a cron job), printing
each indicator as it goes.

`tabulate` writes one 报表 (reports/tabulations.py) for an area and period, in this process, read
as the system (the area and everything under it); the file is audited like every export.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.jobs.console import follow
from fupin.reports import services, tasks
from fupin.reports.selectors import declaration


class Command(BaseCommand):
    help = _("统计汇总:刷新汇总表(refresh),显示进度。")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh", "tabulate"])
        parser.add_argument("form", nargs="?", default="", help=_("报表编号或代码(tabulate)"))
        parser.add_argument("--area", default="", help=_("区划代码(tabulate)"))
        parser.add_argument("--period", default="", help=_("期间:2026-11、2026-Q4、2026(tabulate)"))
        parser.add_argument("--out", default="", help=_("输出文件 .xlsx(tabulate)"))
        parser.add_argument("--full", action="store_true", help=_("全量刷新(默认只刷新有变动的区划)"))
        parser.add_argument("--indicator", action="append", help=_("只刷新这个指标(可重复;全量)"))
        how = parser.add_mutually_exclusive_group()
        how.add_argument(
            "--no-wait", dest="wait", action="store_false", default=True, help=_("提交任务后立即返回任务编号")
        )
        how.add_argument("--here", action="store_true", help=_("不经任务队列,在本进程中运行"))

    def handle(self, *args, action, full=False, indicator=None, wait=True, here=False, **options):
        if action == "tabulate":
            self._tabulate(options["form"], options["area"], options["period"], options["out"])
            return
        unknown = [code for code in indicator or [] if declaration(code) is None]
        if unknown:
            raise CommandError(_("没有这个指标:%(codes)s") % {"codes": "、".join(unknown)})
        if not full and not indicator:
            run = services.drain(progress=self._progress)
            if run is None:
                self.stdout.write(_("没有待刷新的区划。"))
            else:
                self._summary(run.indicators, run.rows, run.seconds)
            return
        if here:
            run = services.refresh(indicators=indicator, progress=self._progress)
            self._summary(run.indicators, run.rows, run.seconds)
            return
        job = tasks.start_refresh(by=None, indicators=indicator)
        if not wait:
            self.stdout.write(_("已提交任务 %(id)s;跟踪进度:fupin jobs --wait %(id)s") % {"id": job.pk})
            return
        job = follow(job.pk, self.stdout)
        if job is None:
            raise CommandError(_("没有这个任务。"))
        if job.state == job.State.FAILED:
            raise CommandError(job.error)
        if not job.finished:
            raise CommandError(_("任务还没有结束(%(state)s)。") % {"state": job.get_state_display()})
        result = job.result or {}
        self._summary(result.get("indicators", 0), result.get("rows", 0), result.get("seconds", 0))

    def _progress(self, done: int, total: int, message: str) -> None:
        if message:
            self.stdout.write(f"[{done + 1}/{total}] {message}")

    def _summary(self, indicators: int, rows: int, seconds: float) -> None:
        self.stdout.write(
            _("已刷新 %(n)d 个指标,写入 %(rows)d 行,用时 %(s).2f 秒。")
            % {"n": indicators, "rows": rows, "s": seconds}
        )

    def _tabulate(self, key: str, area: str, period: str, out: str) -> None:
        from fupin.core.lists import audit_export
        from fupin.reports import tabulations

        if not key or not area or not out:
            raise CommandError(_("请给出报表编号或代码、--area 和 --out。"))
        reader = tabulations.system_reader(area)
        form = tabulations.find(reader, key)
        if form is None:
            raise CommandError(_("没有这个报表:%(key)s") % {"key": key})
        try:
            table = tabulations.build(reader, form, area=area, period=period)
        except tabulations.OutOfScope as error:
            raise CommandError(_("没有这个区划:%(code)s") % {"code": area}) from error
        except tabulations.Refused as error:
            raise CommandError(error.message) from error
        tabulations.write_xlsx(table, out)
        audit_export(
            name="reports.tabulation",
            title=table.title,
            filters=table.filters(),
            count=len(table.data_rows),
            masked=True,
            actor=None,
            region_code=table.area.code,
        )
        self.stdout.write(
            _("已生成“%(title)s”,%(n)d 行,写入 %(out)s。")
            % {"title": table.title, "n": len(table.data_rows), "out": out}
        )
