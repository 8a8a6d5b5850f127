"""`fupin bench_tabulation [--county 632524] [--form monitoring_by_type] [--period 2026-11] [--samples 10]`:
a county's monthly 报表 by our code path (rollup through the selectors, the offices' .xlsx written)
against one hand-written SQL over the rollup and a bare xlsxwriter write; the numbers must be equal
(benchmarks/tabulations.py). Target: under 2 s at 10,000,000 people."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from benchmarks import tabulations as bench


class Command(BaseCommand):
    help = _(
        "仅用于性能测试:生成一个县的月度统计报表(.xlsx),与手写 SQL 加简单写文件比较耗时,并核对数字相同。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--county", default="", help=_("县级代码;默认为登记户数最多的县"))
        parser.add_argument("--form", default="monitoring_by_type", help=_("报表代码"))
        parser.add_argument("--period", default="", help=_("期间;默认为当前"))
        parser.add_argument("--samples", type=int, default=10, help=_("计时次数"))

    def handle(self, *args, county, form, period, samples, **options):
        try:
            result = bench.run(county=county or None, form_code=form, period=period, n=samples)
        except (SystemExit, AssertionError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("县 %(c)s,报表“%(f)s”,期间 %(p)s;%(r)d 行 × %(k)d 栏,%(n)d 次,数字相同。")
            % {
                "c": result["county"],
                "f": result["form"],
                "p": result["period"] or "-",
                "r": result["rows"],
                "k": result["columns"],
                "n": result["n"],
            }
        )
        self.stdout.write(f"{'side':<8} {'p50 ms':>9} {'p95 ms':>9}")
        for side, label in (("ours", "ours"), ("limit", "limit")):
            self.stdout.write(f"{label:<8} {result[f'{side}_p50']:>9.1f} {result[f'{side}_p95']:>9.1f}")
        self.stdout.write(
            _("比值(ours / limit,p50):%(r).2fx;目标 < 2000 ms:%(ok)s")
            % {"r": result["ratio"], "ok": _("达到") if result["ours_p95"] < 2000 else _("未达到")}
        )
