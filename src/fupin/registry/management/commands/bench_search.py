"""`fupin bench_search [--queries N] [--scope CODE]`: household search p50/p95 against the bare index look-up."""

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.translation import gettext as _

from fupin.registry import bench_search as bench
from fupin.registry.models import Household, Member


class Command(BaseCommand):
    help = _("测量农户搜索(姓名、拼音首字母、身份证号、后四位)的 p50/p95,并与索引列上的直接查询(极限)比较。")

    def add_arguments(self, parser):
        parser.add_argument("--queries", type=int, default=500, help=_("每种搜索方式的随机查询次数"))
        parser.add_argument("--scope", default="", help=_("数据范围(区划代码前缀),默认全部"))
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, queries, scope, seed, **options):
        members, households = Member.objects.count(), Household.objects.count()
        self.stdout.write(
            _("数据库 %(db)s:%(m)d 名成员,%(h)d 户;每种方式 %(n)d 次查询")
            % {"db": connection.vendor, "m": members, "h": households, "n": queries}
        )
        results = bench.run(prefix=scope, n=queries, seed=seed)
        header = (
            f"{'mode':<9} {'p50 ms':>8} {'p95 ms':>8} {'limit p50':>10} {'limit p95':>10} {'p95 ratio':>10}"
        )
        self.stdout.write(header)
        for r in results:
            ratio = r["p95"] / r["limit_p95"] if r["limit_p95"] else float("inf")
            self.stdout.write(
                f"{r['mode']:<9} {r['p50']:>8.2f} {r['p95']:>8.2f} {r['limit_p50']:>10.2f} {r['limit_p95']:>10.2f} {ratio:>9.1f}x"
            )
        worst = max(r["p95"] for r in results)
        self.stdout.write(_("最慢 p95:%(ms).1f ms(目标 < 50 ms)") % {"ms": worst})
