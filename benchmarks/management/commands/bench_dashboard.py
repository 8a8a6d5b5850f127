"""`fupin bench_dashboard [--prepare] [--runs dashboard,refresh,incremental,pages] [--requests 200]
[--json FILE]`: the 驾驶舱 and the rollup at scale, each side by side with its limit in the same run
(benchmarks/dashboard.py). PostgreSQL only."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from benchmarks import dashboard as bench

RUNS = ("dashboard", "refresh", "incremental", "pages")


class Command(BaseCommand):
    help = _(
        "仅用于性能测试:补充驾驶舱指标所计的记录,测量驾驶舱首页、汇总全量刷新、单户修改后的增量刷新和旧的即时统计页面,"
        "并在同一次运行中与各自的极限(手写 SQL、DuckDB)比较。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--prepare", action="store_true", help=_("先补充监测、帮扶、党建、项目等记录"))
        parser.add_argument("--runs", default=",".join(RUNS), help=_("要运行的测量(逗号分隔)"))
        parser.add_argument("--requests", type=int, default=200, help=_("每个用户计时的请求数"))
        parser.add_argument("--warmup", type=int, default=20, help=_("不计时的预热请求数"))
        parser.add_argument("--samples", type=int, default=20, help=_("增量刷新与旧页面的计时次数"))
        parser.add_argument("--province", default="52", help=_("省级查看用户的省级代码"))
        parser.add_argument("--county", default="", help=_("县级干部的县级代码(默认户数最多的县)"))
        parser.add_argument("--json", default="", help=_("把结果另存为 JSON 文件"))
        parser.add_argument("--area", default="", help=_("全量刷新对比只计该区划下的记录(各方相同)"))
        parser.add_argument(
            "--stub-todos", action="store_true", help=_("计时请求中以空列表代替待办(待办另行单独计时)")
        )
        parser.add_argument(
            "--skip", default="", help=_("全量刷新对比中略去的指标(逗号分隔;改为在一个县单独计时)")
        )

    def handle(
        self,
        *args,
        prepare,
        runs,
        requests,
        warmup,
        samples,
        province,
        county,
        json: str,
        skip,
        area,
        stub_todos,
        **options,
    ):
        wanted = [r.strip() for r in runs.split(",") if r.strip()]
        unknown = [r for r in wanted if r not in RUNS]
        if unknown:
            raise CommandError(_("未知的测量:%(r)s") % {"r": ",".join(unknown)})
        out = self.stdout.write
        try:
            if prepare:
                out(_("补充数据 …"))
                out(str(bench.prepare(progress=out)))
            result = bench.run(
                wanted,
                requests=requests,
                warmup=warmup,
                samples=samples,
                province=province,
                county=county,
                skip=tuple(code.strip() for code in skip.split(",") if code.strip()),
                area=area,
                stub_todos=stub_todos,
                progress=out,
            )
        except SystemExit as exc:
            raise CommandError(str(exc)) from None
        for line in bench.report(result):
            out(line)
        if json:
            with open(json, "w", encoding="utf-8") as f:
                f.write(_dumps(result))
            out(_("结果已写入 %(f)s") % {"f": json})


def _dumps(result) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2, default=str)
