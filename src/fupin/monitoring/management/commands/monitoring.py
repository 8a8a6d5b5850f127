"""`fupin monitoring run --county 632524 [--period 2026-11] [--kind …]` and
`fupin monitoring quality --county 632524`.

Each queues its job on the job queue (fupin.jobs: the consumer of `fupin worker` or `fupin serve`
runs it, as when it is started from the rules page) and follows its progress until it ends;
`--no-wait` prints the job's number and returns (`fupin jobs --wait <id>` follows it later), `--here`
runs it in this process instead, printing each rule's progress (no consumer needed: a cron job on a
server without one).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.jobs.console import follow
from fupin.monitoring import quality, rules, rules_jobs
from fupin.monitoring.choices import RuleKind


class Command(BaseCommand):
    help = _("防返贫监测:运行预警规则(run)或数据质量检查(quality),显示进度。")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run", "quality"])
        parser.add_argument("--county", required=True, help=_("区划代码:县(或省、市、乡镇、村,仅 run)"))
        parser.add_argument("--period", help=_("预警期间 YYYY-MM,默认本月(仅 run)"))
        parser.add_argument(
            "--kind",
            action="append",
            choices=RuleKind.values,
            help=_("只运行这类规则(可重复;默认全部启用的规则)"),
        )
        how = parser.add_mutually_exclusive_group()
        how.add_argument("--wait", action="store_true", default=True, help=_("跟踪进度直到任务结束(默认)"))
        how.add_argument("--no-wait", dest="wait", action="store_false", help=_("提交任务后立即返回任务编号"))
        how.add_argument("--here", action="store_true", help=_("不经任务队列,在本进程中运行"))

    def handle(self, *args, action, county, period=None, kind=None, wait=True, here=False, **options):
        try:
            if here:
                self._here(action, county, period, kind)
                return
            if action == "run":
                job = rules_jobs.start_run(user=None, area_code=county, period=period, kinds=kind)
            else:
                job = rules_jobs.start_checks(user=None, county_code=county)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(";".join(getattr(exc, "messages", [str(exc)]))) from exc
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
        self._summary(action, job.result)

    def _here(self, action, county, period, kinds) -> None:
        def progress(done: int, total: int, message: str) -> None:
            self.stdout.write(f"[{done}/{total}] {message}")

        if action == "run":
            run = rules.run_rules(area_code=county, period=period, kinds=kinds, progress=progress)
            self._summary(action, {"counts": run.counts, "run": run.pk})
        else:
            found = quality.run_checks(county_code=county, progress=progress)
            self._summary(action, {"findings": found, "counts": quality.finding_counts(county)})

    def _summary(self, action, result: dict) -> None:
        counts = result.get("counts", {})
        if action == "run":
            for code, c in counts.items():
                self.stdout.write(f"{code}\t{c['fired']}\t{c['new']}")
            self.stdout.write(
                _("规则命中 %(fired)d 户次,新增风险线索 %(new)d 条。")
                % {
                    "fired": sum(c["fired"] for c in counts.values()),
                    "new": sum(c["new"] for c in counts.values()),
                }
            )
        else:
            for code, n in sorted(counts.items()):
                self.stdout.write(f"{quality.CHECKS.get(code, code)}\t{n}")
            self.stdout.write(_("数据质量问题 %(n)d 个。") % {"n": result.get("findings", 0)})
