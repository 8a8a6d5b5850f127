"""`fupin bench_regions DIR`: our full division load against the bare write of the same rows
(benchmarks/regions.py). It empties the region table: run it on a database of its own."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection
from django.utils.translation import gettext as _

from benchmarks import regions as bench
from fupin.regions.loader import LoadFailed
from fupin.regions.models import Region


class Command(BaseCommand):
    help = _("在当前数据库上测量完整载入的速度(会清空并重新载入区划表)")

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        self.stdout.write(_("数据库:%(vendor)s。清空区划表 …") % {"vendor": connection.vendor})
        try:
            bench.empty_regions()
        except IntegrityError as exc:
            raise CommandError(_("区划已被其他数据引用,无法清空;请在专用的基准测试数据库上运行。")) from exc
        try:
            ours, result = bench.timed_load(Path(directory))
            again, _result = bench.timed_load(Path(directory))
        except LoadFailed as exc:
            raise CommandError(str(exc)) from exc
        limit, rows = bench.time_limit()
        self.stdout.write(_("级别\t新增\t更新\t未变"))
        for level, c in result.counts.items():
            self.stdout.write(f"{Region.Level(level).label}\t{c.inserted}\t{c.updated}\t{c.unchanged}")
        values = {"rows": rows, "ours": ours, "again": again, "limit": limit}
        self.stdout.write(
            _("我们的完整载入:%(rows)d 行,%(ours).1f 秒,%(rate)d 行/秒") % {**values, "rate": rows / ours}
        )
        self.stdout.write(_("重复载入(无变化):%(again).1f 秒") % values)
        self.stdout.write(
            _("数据库极限(同样的干净数据直接写入同结构的表):%(limit).1f 秒,%(rate)d 行/秒")
            % {**values, "rate": rows / limit}
        )
        self.stdout.write(_("比值(我们 / 极限):%(ratio).1f") % {"ratio": ours / limit})
