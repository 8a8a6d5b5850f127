"""`fupin bench_cards`: a village's 明白卡 (300 by default) as one PDF, ours against WeasyPrint alone
on the same HTML (benchmarks/cards.py)."""

import os

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.translation import gettext as _

from benchmarks import cards as bench

TARGET_SECONDS = 30.0


class Command(BaseCommand):
    help = _("测量一个村的明白卡(默认 300 户)生成一个 PDF 的用时,并与 WeasyPrint 单独排版同样的 HTML 比较。")

    def add_arguments(self, parser):
        parser.add_argument("--village", default=bench.VILLAGE, help=_("村级区划代码(默认专用的测试村)"))
        parser.add_argument("--households", type=int, default=300, help=_("户数(不足时先补足)"))
        parser.add_argument("--size", choices=["A5", "A4"], default="A5", help=_("纸张规格"))
        parser.add_argument("--rounds", type=int, default=1, help=_("轮数(两边交替先后,取中位数)"))
        parser.add_argument("--workers", type=int, default=None, help=_("排版的进程数(默认本机核数)"))

    def handle(self, *args, **options):
        self.stdout.write(
            _("数据库 %(db)s;开始时负载:%(l)s") % {"db": connection.settings_dict["NAME"], "l": _load()}
        )
        held = bench.prepare(options["village"], options["households"], say=self.stdout.write)
        self.stdout.write(_("村 %(v)s:%(n)d 户") % {"v": options["village"], "n": held})
        result = bench.run(
            options["village"],
            size=options["size"],
            rounds=options["rounds"],
            workers=options["workers"],
            say=self.stdout.write,
        )
        self.stdout.write(_("结束时负载:%(l)s") % {"l": _load()})
        self.stdout.write(
            f"{result['households']} cards ({options['size']}, {result['workers']} workers): fupin {result['ours']:.2f} s "
            f"({result['per_card_ms']:.0f} ms/card), WeasyPrint alone {result['limit']:.2f} s, "
            f"ratio {result['ratio']:.2f}×; CPU {result['ours_cpu']:.2f} s / {result['limit_cpu']:.2f} s; pages {result['pages']['ours']} / {result['pages']['limit']} "
            f"(target: 300 cards under {TARGET_SECONDS:.0f} s)"
        )
        if result["pages"]["ours"] != result["households"]:
            self.stderr.write(_("页数与户数不符。"))


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
