"""`fupin bench_screening --rows N --county CODE`: department screening against the bare COPY plus hash
join (benchmarks/screening.py)."""

import os
import resource
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarks import screening as bench


class Command(BaseCommand):
    help = _(
        "测量部门筛查(导入部门名单并按身份证号匹配)的速度,并与直接 COPY 加哈希连接比较。"
        "需先用 bench_fill 生成成员;请在专用的 PostgreSQL 数据库上运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=1_000_000)
        parser.add_argument("--county", default="632524", help=_("成员所在的县(bench_fill --provinces)"))
        parser.add_argument("--keep", help=_("把生成的文件保存在此目录(再次运行时复用)"))
        parser.add_argument("--rules", action="store_true", help=_("另行计时规则引擎生成线索(全县)"))

    def handle(self, *args, rows, county, keep, rules, **options):
        if connection.vendor != "postgresql":
            raise CommandError(_("此基准只在 PostgreSQL 上运行"))
        folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="fupin-bench-screening-"))
        folder.mkdir(parents=True, exist_ok=True)
        path, prepared = folder / f"dept-{county}-{rows}.csv", folder / f"dept-{county}-{rows}.tsv"
        if not path.exists():
            started = time.perf_counter()
            try:
                counts = bench.write_list(path, rows, county)
            except SystemExit as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(
                f"{path.name}: {path.stat().st_size / 2**20:.0f} MB in {time.perf_counter() - started:.1f} s; "
                + ", ".join(f"{k} {v:,}" for k, v in counts.items())
            )
        if not prepared.exists():
            bench.prepare_limit_rows(path, prepared)
        period = f"{timezone.localdate():%Y-%m}"
        load = os.getloadavg()[0]
        seconds, batch, (own_cpu, backend_cpu) = bench.time_ours(path, county, period)
        self.stdout.write(
            f"ours: {seconds:.1f} s = {batch.rows / seconds:,.0f} rows/s "
            f"(rows {batch.rows:,}, matched people {batch.matched:,}, unmatched rows {batch.unmatched:,}); "
            f"CPU: ours {own_cpu:.1f} s, PostgreSQL {backend_cpu:.1f} s; "
            f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; load average before {load:.1f}"
        )
        if rules:
            self.stdout.write(
                f"then the rules engine (DEPARTMENT_HIT, the county): {bench.time_rules(batch):.1f} s"
            )
        bench.remove(batch)
        limit = bench.time_limit(prepared)
        bare = limit["copy"] + limit["join"]
        shaped = limit["copy"] + limit["join_insert"]
        self.stdout.write(
            f"limit: COPY into a TEMP table {limit['copy']:.1f} s + hash join {limit['join']:.1f} s = {bare:.1f} s "
            f"= {batch.rows / bare:,.0f} rows/s (PostgreSQL CPU {limit['cpu']:.1f} s)\t"
            f"ours/limit rate = {bare / seconds:.2f}"
        )
        self.stdout.write(
            f"limit written like ours: COPY {limit['copy']:.1f} s + join INSERTed into a table of "
            f"ScreeningRow's shape and indexes {limit['join_insert']:.1f} s = {shaped:.1f} s\t"
            f"ours/limit rate = {shaped / seconds:.2f}"
        )
