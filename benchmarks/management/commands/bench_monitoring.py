"""`fupin bench_monitoring [--prepare] [--provinces 62,63,52,53] [--rounds 2] [--sample 200]`: every risk
rule over the bench database by monitoring.rules.run_rules against one hand-written INSERT … SELECT per
rule, identical sets asserted, a second run that adds nothing, reevaluate_household timed
(benchmarks/monitoring.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from benchmarks import monitoring as bench


class Command(BaseCommand):
    help = _(
        "仅用于性能测试:在 bench_fill 的数据库上运行全部预警规则,与每条规则一条手写 INSERT … SELECT 对比,"
        "断言结果集相同、重复运行不新增,并测量单户重新评估的耗时。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--prepare", action="store_true", help=_("先补充收入(2024、2025)、务工、核查、监测标准和医保名单")
        )
        parser.add_argument(
            "--provinces", default=",".join(bench.DEFAULT_PROVINCES), help=_("运行范围(省级代码)")
        )
        parser.add_argument("--rounds", type=int, default=2, help=_("对比轮数(轮流先后)"))
        parser.add_argument("--sample", type=int, default=200, help=_("单户重新评估的抽样户数"))

    def handle(self, *args, prepare, provinces, rounds, sample, **options):
        areas = tuple(p.strip() for p in provinces.split(",") if p.strip())
        try:
            if prepare:
                self.stdout.write(_("补充数据 …"))
                self.stdout.write(str(bench.prepare(areas, progress=self.stdout.write)))
            result = bench.run(provinces=areas, rounds=rounds, sample=sample, progress=self.stdout.write)
        except SystemExit as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("%(m)s 名成员,%(h)s 户;范围 %(a)s")
            % {"m": f"{result['members']:,}", "h": f"{result['households']:,}", "a": ",".join(areas)}
        )
        self.stdout.write(
            f"{'round':<6} {'ours s':>8} {'hand s':>8} {'ratio':>6} {'leads':>9} {'again s':>8}"
        )
        for i, r in enumerate(result["rounds"], 1):
            self.stdout.write(
                f"{i:<6} {r['ours']:>8.2f} {r['hand']:>8.2f} {r['ratio']:>6.2f} {r['leads']:>9,} {r['again']:>8.2f}"
            )
        if result["rounds"]:
            last = result["rounds"][-1]
            self.stdout.write(_("每条规则(我们:命中/新增;手写:新增):"))
            for code, c in last["ours_counts"].items():
                self.stdout.write(
                    f"  {code:<20} {c['fired']:>9,} {c['new']:>9,} {last['hand_counts'].get(code, 0):>9,}"
                )
        r = result["reevaluate"]
        self.stdout.write(
            _(
                "单户重新评估 %(n)d 户:p50 %(p50).1f ms,p95 %(p95).1f ms,最大 %(max).1f ms(其间新增线索 %(w)d 条,已回滚)"
            )
            % {"n": r["n"], "p50": r["p50"], "p95": r["p95"], "max": r["max"], "w": r["wrote"]}
        )
