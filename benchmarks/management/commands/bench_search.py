"""`fupin bench_search [--queries N] [--scope CODE] [--modes …]`: household search p50/p95/p99 against the limit."""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from benchmarks import search as bench
from fupin.registry.models import Household, Member


class Command(BaseCommand):
    help = _(
        "测量农户搜索(姓名、姓氏、拼音首字母、身份证号、后四位)的 p50/p95/p99,"
        "并与索引列上手写 SQL 的同样两次查询(首页 + 计数,极限)比较。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--queries", type=int, default=500, help=_("每种搜索方式的随机查询次数"))
        parser.add_argument("--warmup", type=int, default=50, help=_("每种方式不计时的预热查询次数"))
        parser.add_argument("--scope", default="", help=_("数据范围(区划代码前缀),默认全部"))
        parser.add_argument("--modes", default=",".join(bench.MODES), help=_("搜索方式,逗号分隔"))
        parser.add_argument(
            "--count-cap", type=int, default=0, help=_("计数最多数到 N+1(selectors.count_up_to);0 为精确计数")
        )
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, queries, warmup, scope, modes, count_cap, seed, **options):
        chosen = tuple(m.strip() for m in modes.split(",") if m.strip())
        unknown = set(chosen) - set(bench.MODES)
        if unknown:
            raise CommandError(_("未知的搜索方式:%(m)s") % {"m": ",".join(sorted(unknown))})
        members, households = Member.objects.count(), Household.objects.count()
        self.stdout.write(
            _(
                "数据库 %(db)s:%(m)s 名成员,%(h)s 户;范围 %(s)s;每种方式 %(n)d 次查询(预热 %(w)d 次);计数 %(c)s"
            )
            % {
                "db": connection.vendor,
                "m": f"{members:,}",
                "h": f"{households:,}",
                "s": scope or _("全部"),
                "n": queries,
                "w": warmup,
                "c": _("最多 %(n)d+") % {"n": count_cap} if count_cap else _("精确"),
            }
        )
        self.stdout.write(_("开始时负载:%(l)s") % {"l": _load()})
        results = bench.run(prefix=scope, n=queries, seed=seed, warmup=warmup, modes=chosen, cap=count_cap)
        self.stdout.write(
            f"{'mode':<9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'sql p50':>8} {'sql p95':>8} "
            f"{'sql p99':>8} {'p95 ratio':>9} {'found p50':>10} {'found max':>10}"
        )
        for r in results:
            ratio = r["p95"] / r["limit_p95"] if r["limit_p95"] else float("inf")
            self.stdout.write(
                f"{r['mode']:<9} {r['p50']:>8.2f} {r['p95']:>8.2f} {r['p99']:>8.2f} {r['limit_p50']:>8.2f} "
                f"{r['limit_p95']:>8.2f} {r['limit_p99']:>8.2f} {ratio:>8.1f}x {r['found_p50']:>10,.0f} "
                f"{r['found_max']:>10,}"
            )
        self.stdout.write(_("结束时负载:%(l)s") % {"l": _load()})
        worst = max(results, key=lambda r: r["p95"])
        self.stdout.write(
            _("最慢 p95:%(ms).1f ms(%(mode)s;目标 < 50 ms)") % {"ms": worst["p95"], "mode": worst["mode"]}
        )


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"
