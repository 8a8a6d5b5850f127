"""`fupin bench_overdue [--province 52] [--samples 200] [--on YYYY-MM-DD] [--via context|client]`: a
province's overdue lists (逾期线索, and 风险线索 filtered to 已逾期) as its viewer sees them, p50/p95
against hand-written SQL giving the same page and counts (benchmarks/overdue.py)."""

import datetime
import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from benchmarks import overdue as bench


class Command(BaseCommand):
    help = _(
        "仅用于性能测试:以省级查看用户测量本省逾期线索和已逾期风险线索列表首页的 p50/p95,"
        "并与给出相同结果的手写 SQL 比较。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", default="52", help=_("省级代码"))
        parser.add_argument("--samples", type=int, default=200, help=_("每个列表的计时次数"))
        parser.add_argument("--warmup", type=int, default=10, help=_("不计时的预热次数"))
        parser.add_argument("--on", default="", help=_("判断逾期的日期(YYYY-MM-DD),默认使全部办理中线索逾期"))
        parser.add_argument(
            "--via",
            choices=("context", "client"),
            default="context",
            help=_("context:列表的查询与单元格;client:整个页面"),
        )

    def handle(self, *args, province, samples, warmup, on, via, **options):
        try:
            day = datetime.date.fromisoformat(on) if on else None
        except ValueError:
            raise CommandError(_("日期格式应为 YYYY-MM-DD")) from None
        try:
            result = bench.run(province=province, n=samples, warmup=warmup, on=day, via=via)
        except SystemExit as exc:
            raise CommandError(str(exc)) from None
        leads = result["leads"]
        self.stdout.write(
            _("省 %(p)s,判断日 %(on)s,方式 %(via)s;办理中线索 %(open)s 条(黄色 %(o)s,红色 %(r)s);负载 %(l)s")
            % {
                "p": province,
                "on": result["on"].isoformat(),
                "via": via,
                "open": f"{leads['open']:,}",
                "o": f"{leads['orange']:,}",
                "r": f"{leads['red']:,}",
                "l": _load(),
            }
        )
        self.stdout.write(
            f"{'page':<8} {'n':>5} {'rows':>5} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'sql p50':>8} {'sql p95':>8} {'p95 ratio':>9}"
        )
        for r in result["pages"]:
            self.stdout.write(
                f"{r['page']:<8} {r['n']:>5} {r['rows']:>5} {r['count']:>7,} {r['p50']:>8.2f} {r['p95']:>8.2f} "
                f"{r['sql_p50']:>8.2f} {r['sql_p95']:>8.2f} {r['ratio']:>8.2f}x"
            )
        worst = max(result["pages"], key=lambda r: r["p95"])
        self.stdout.write(
            _("最慢 p95:%(ms).1f ms(%(page)s;目标 < 100 ms)") % {"ms": worst["p95"], "page": worst["page"]}
        )


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"
