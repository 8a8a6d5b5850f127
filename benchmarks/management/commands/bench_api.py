"""`fupin bench_api`: requests/s of the API's household list under gunicorn against a bare WSGI app
running the same SQL (benchmarks/api.py)."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.translation import gettext as _

from benchmarks import api as bench
from benchmarks import api_cpu
from fupin.registry.models import Household, Member


class Command(BaseCommand):
    help = _(
        "测量县级干部的 GET /api/registry/households 每秒请求数(gunicorn),并与运行同样 SQL 的最简 WSGI 应用比较。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--county", default="632524", help=_("县级干部的数据范围(县级区划代码)"))
        parser.add_argument("--workers", type=int, default=2, help=_("两边各自的 gunicorn 工作进程数"))
        parser.add_argument("--threads", type=int, default=4, help=_("每个工作进程的线程数"))
        parser.add_argument("--connections", type=int, default=8, help=_("并发的保持连接数"))
        parser.add_argument("--seconds", type=int, default=20, help=_("每轮每边的压测秒数"))
        parser.add_argument("--warmup", type=int, default=5, help=_("每边不计入结果的预热秒数"))
        parser.add_argument("--rounds", type=int, default=3, help=_("轮数(两边交替先后)"))
        parser.add_argument("--limit", type=int, default=None, help=_("每页条数(默认接口的默认值)"))
        parser.add_argument(
            "--in-process",
            type=int,
            default=0,
            metavar="N",
            help=_("不启动服务器:在一个进程内经两边的 WSGI 应用各调用 N 次,给出每次调用的 CPU 微秒数"),
        )
        parser.add_argument(
            "--profile", choices=["cumulative", "tottime"], default=None, help="--in-process: cProfile"
        )

    def handle(self, *args, **options):
        members, households = Member.objects.count(), Household.objects.count()
        self.stdout.write(
            _("数据库 %(db)s:%(m)s 名成员,%(h)s 户;开始时负载:%(l)s")
            % {
                "db": connection.settings_dict["NAME"],
                "m": f"{members:,}",
                "h": f"{households:,}",
                "l": _load(),
            }
        )
        if options["in_process"]:
            directory = settings.DATA_DIR / "bench-api-cpu"
            api_cpu.prepare(options["county"], directory)
            api_cpu.run_measure(directory, options["in_process"], profile=options["profile"])
            return
        result = bench.run(
            county=options["county"],
            workers=options["workers"],
            threads=options["threads"],
            connections=options["connections"],
            seconds=options["seconds"],
            warmup=options["warmup"],
            rounds=options["rounds"],
            limit=options["limit"],
            say=self.stdout.write,
        )
        self.stdout.write(_("结束时负载:%(l)s") % {"l": _load()})
        self.stdout.write(
            f"fupin {result['fupin']:.1f} req/s, bare WSGI {result['bare']:.1f} req/s (medians), "
            f"ratio {result['ratio']:.2f}× (target ≥ 0.80×)"
        )
        self.stdout.write(
            f"CPU per request (app + PostgreSQL, medians): fupin {result['cpu_fupin']:.1f} ms, "
            f"bare WSGI {result['cpu_bare']:.1f} ms; ratio {result['cpu_ratio']:.2f}×"
        )


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"
