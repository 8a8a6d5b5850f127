"""`fupin bench_results [--unit 国家能源集团] [--years 2016-2020] [--samples 5]`: an assisting unit's
results report (.docx) by our code path (records gathered through the selectors, charts drawn,
template rendered) against the limit (the same rendering of the context already gathered, charts
included, no database); both documents must carry the same text (benchmarks/results.py). Target:
under 10 s."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from benchmarks import results as bench
from fupin.documents import results
from fupin.documents.management.commands.results_report import find_unit


class Command(BaseCommand):
    help = _("仅用于性能测试:生成一个帮扶单位的帮扶成效报告(.docx),与不读数据库的同样渲染比较耗时。")

    def add_arguments(self, parser):
        parser.add_argument("--unit", default="国家能源集团", help=_("帮扶单位:编号、全称或简称"))
        parser.add_argument("--years", default="2016-2020", help=_("年度:2020 或 2016-2020"))
        parser.add_argument("--samples", type=int, default=5, help=_("计时次数"))

    def handle(self, *args, unit, years, samples, **options):
        found = find_unit(unit)
        if found is None:
            raise CommandError(_("没有这个单位:%(u)s") % {"u": unit})
        try:
            first, last = results.parse_years(years)
            result = bench.run(unit=found, first=first, last=last, n=samples)
        except (ValueError, AssertionError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("%(u)s %(s)s:%(f)d 个数字,%(n)d 次,两边文本相同。")
            % {"u": result["unit"], "s": result["span"], "f": result["figures"], "n": result["n"]}
        )
        self.stdout.write(f"{'side':<8} {'p50 ms':>9} {'p95 ms':>9}")
        for side in ("ours", "limit"):
            self.stdout.write(f"{side:<8} {result[f'{side}_p50']:>9.1f} {result[f'{side}_p95']:>9.1f}")
        self.stdout.write(
            _("比值(ours / limit,p50):%(r).2fx;目标 < 10000 ms:%(ok)s")
            % {"r": result["ratio"], "ok": _("达到") if result["ours_p95"] < 10000 else _("未达到")}
        )
