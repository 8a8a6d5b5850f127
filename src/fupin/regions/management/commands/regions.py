"""`fupin regions load|extract`: the division tree from the command line (the load's benchmark is
`fupin bench_regions`, in the checkout's benchmarks/ folder)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.regions.demo_places import DEMO_COUNTIES
from fupin.regions.extract import extract_subset
from fupin.regions.files import SHIPPED_DATA
from fupin.regions.loader import LoadFailed, LoadResult, load_divisions
from fupin.regions.models import Region


class Command(BaseCommand):
    help = _("行政区划:load 载入区划文件,extract 生成随包发布的演示子集。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help=_("校验并载入一个目录中的区划文件(默认为随包发布的数据)"))
        load.add_argument("directory", nargs="?", default=str(SHIPPED_DATA))
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

    def _extract(self, *, source, destination, **options):
        written = extract_subset(Path(source), Path(destination), DEMO_COUNTIES)
        for name, rows in written.items():
            self.stdout.write(_("%(file)s:%(rows)d 行") % {"file": name, "rows": rows})
