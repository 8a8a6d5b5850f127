"""`fupin regions load|bench|extract`: the division tree from the command line."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection
from django.utils.translation import gettext as _

from fupin.regions import bench
from fupin.regions.demo_places import DEMO_COUNTIES
from fupin.regions.extract import extract_subset
from fupin.regions.files import SHIPPED_DATA
from fupin.regions.loader import LoadFailed, LoadResult, load_divisions
from fupin.regions.models import Region


class Command(BaseCommand):
    help = _("行政区划:load 载入区划文件,bench 测量载入速度,extract 生成随包发布的演示子集。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help=_("校验并载入一个目录中的区划文件(默认为随包发布的数据)"))
        load.add_argument("directory", nargs="?", default=str(SHIPPED_DATA))
        run = sub.add_parser("bench", help=_("在当前数据库上测量完整载入的速度(会清空并重新载入区划表)"))
        run.add_argument("directory")
        extract = sub.add_parser("extract", help=_("从完整区划文件生成演示县的子集"))
        extract.add_argument("source")
        extract.add_argument("destination")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _load(self, *, directory, **options):
        try:
            result = load_divisions(Path(directory), progress=self.stdout.write)
        except LoadFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            if exc.total > len(exc.errors):
                self.stderr.write(_("……另有 %(n)d 处错误未列出") % {"n": exc.total - len(exc.errors)})
            raise CommandError(str(exc)) from exc
        self._print_counts(result)

    def _print_counts(self, result: LoadResult):
        self.stdout.write(_("级别\t新增\t更新\t未变"))
        for level, c in result.counts.items():
            self.stdout.write(f"{Region.Level(level).label}\t{c.inserted}\t{c.updated}\t{c.unchanged}")
        if result.changed:
            self.stdout.write(self.style.SUCCESS(_("区划载入完成。")))
        else:
            self.stdout.write(self.style.SUCCESS(_("区划数据与文件一致,没有任何变化。")))

    def _bench(self, *, directory, **options):
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
        self._print_counts(result)
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

    def _extract(self, *, source, destination, **options):
        written = extract_subset(Path(source), Path(destination), DEMO_COUNTIES)
        for name, rows in written.items():
            self.stdout.write(_("%(file)s:%(rows)d 行") % {"file": name, "rows": rows})
