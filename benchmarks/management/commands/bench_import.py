"""`fupin bench_import --members N [--xlsx]`: import speed and peak RSS against the bare write (see benchmarks/imports.py)."""

import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.translation import gettext as _

from benchmarks import imports as bench
from fupin import testing


class Command(BaseCommand):
    help = _(
        "测量贫困户导入的速度和内存峰值,并与同结构表的直接写入(极限)比较。会清空登记表,请在专用数据库上运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=200_000)
        parser.add_argument("--xlsx", action="store_true", help=_("同时测量 .xlsx"))
        parser.add_argument("--keep", help=_("把生成的文件保存在此目录"))

    def handle(self, *args, members, xlsx, keep, **options):
        testing.make_regions()
        folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="fupin-bench-"))
        folder.mkdir(parents=True, exist_ok=True)
        files = [folder / f"members-{members}.csv"]
        if xlsx:
            files.append(folder / f"members-{members}.xlsx")
        for path in files:
            if not path.exists():
                started = time.perf_counter()
                (bench.write_csv if path.suffix == ".csv" else bench.write_xlsx)(path, members)
                self.stdout.write(
                    _("生成 %(file)s(%(mb).0f MB):%(s).1f 秒")
                    % {
                        "file": path.name,
                        "mb": path.stat().st_size / 2**20,
                        "s": time.perf_counter() - started,
                    }
                )
        startup = bench.child_startup()
        self.stdout.write(
            _("数据库:%(vendor)s;子进程启动 %(s).1f 秒(已从导入时间中扣除)")
            % {"vendor": connection.vendor, "s": startup}
        )
        for path in files:
            bench.empty_registry()
            seconds, rss, output = bench.timed_child_import(path)
            seconds -= startup
            again, rss_again, _out = bench.timed_child_import(path)
            again -= startup
            limit = bench.time_limit()
            ours_rate, limit_rate = members / seconds, members / limit
            self.stdout.write(output.splitlines()[-2] if len(output.splitlines()) > 1 else output)
            self.stdout.write(
                f"{path.suffix[1:]}\t{members} members\tours {seconds:.1f} s = {ours_rate:,.0f} rows/s, "
                f"peak RSS {rss:.0f} MB\tsecond import (no change) {again:.1f} s, RSS {rss_again:.0f} MB\t"
                f"limit (bare COPY/executemany of the same rows) {limit:.1f} s = {limit_rate:,.0f} rows/s\t"
                f"ours/limit rate = {ours_rate / limit_rate:.2f}"
            )
