"""`fupin bench_fill --members N [--provinces 62,63,52,53]`: bulk-fill households and members for
benchmarks (benchmarks/fill.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from benchmarks import fill as bench_fill


class Command(BaseCommand):
    help = _(
        "仅用于性能测试:在 PostgreSQL 内批量生成农户和成员(真实行政村代码、有效身份证号、常见姓名),"
        "个人信息为真实密文,先删除索引、载入后重建并 ANALYZE。请使用专用数据库。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, required=True, help=_("新增成员数"))
        parser.add_argument(
            "--provinces",
            default=",".join(bench_fill.DEFAULT_PROVINCES),
            help=_("区划代码(前缀,如省级2位),逗号分隔;追加时须与之前相同"),
        )
        parser.add_argument("--batch", type=int, default=25_000, help=_("每批的户数"))
        parser.add_argument(
            "--verify", type=int, default=1000, help=_("抽样核对密文、盲索引和拼音首字母的成员数")
        )

    def handle(self, *args, members, provinces, batch, verify, **options):
        if members <= 0:
            raise CommandError(_("成员数须为正数"))
        codes = tuple(p.strip() for p in provinces.split(",") if p.strip())
        try:
            timings = bench_fill.fill(members, provinces=codes, batch=batch, progress=self.stdout.write)
        except SystemExit as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _(
                "新增 %(m)s 名成员:载入 %(load).0f 秒,建索引 %(index).0f 秒,ANALYZE %(analyze).0f 秒,共 %(total).0f 秒"
            )
            % {
                "m": f"{timings['members']:,}",
                "load": timings["load_s"],
                "index": timings["index_s"],
                "analyze": timings["analyze_s"],
                "total": timings["total_s"],
            }
        )
        if verify:
            checked = bench_fill.verify_sample(verify)
            self.stdout.write(
                _("抽样 %(n)d 人:盲索引一致 %(b)d,拼音首字母一致 %(i)d")
                % {"n": checked["sampled"], "b": checked["bidx_match"], "i": checked["initials_match"]}
            )
            if checked["bidx_match"] != checked["sampled"]:
                raise CommandError(_("密文、盲索引或脱敏值与 core.crypto、core.masking 不一致"))
