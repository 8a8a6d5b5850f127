import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.audit.services import audit_record
from fupin.core.audit_actions import AuditAction
from fupin.regions.models import Region
from fupin.registry.generator import generate_households, next_numbers, village_committees, write_generated


def _years(text: str) -> tuple[int, int]:
    try:
        first, last = (int(part) for part in text.split("-"))
    except ValueError:
        raise CommandError(_("年度范围格式应为 2014-2020")) from None
    if not 2010 <= first <= last <= 2030:
        raise CommandError(_("年度范围应在2010年至2030年之间"))
    return first, last


class Command(BaseCommand):
    help = "生成模拟的建档立卡数据(真实行政村代码、有效身份证号),用于演示、测试和性能测试。"

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--villages", help="行政村代码,逗号分隔")
        where.add_argument("--county", help="县级代码(6位):生成到该县的全部行政村")
        parser.add_argument("--households", type=int, required=True, help="户数")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", default="2014-2020")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, villages, county, households, seed, years, batch_size, **options):
        if county:
            # Poor households live in 村民委员会, not in urban 社区/居委会.
            codes = village_committees(county)
            if len(county) != 6 or not codes:
                raise CommandError(
                    _("县级代码 %(code)s 下没有行政村,请先运行 fupin regions load") % {"code": county}
                )
        else:
            codes = [c.strip() for c in villages.split(",") if c.strip()]
            found = set(
                Region.objects.filter(code__in=codes, level=Region.Level.VILLAGE).values_list(
                    "code", flat=True
                )
            )
            if missing := [c for c in codes if c not in found]:
                raise CommandError(_("不是已加载的行政村代码:%(codes)s") % {"codes": ", ".join(missing)})
        if households <= 0:
            raise CommandError(_("户数应大于0"))
        started = time.monotonic()

        def progress(done_households, done_members):
            rate = done_members / max(time.monotonic() - started, 1e-6)
            self.stdout.write(
                _("已写入 %(h)d 户 %(m)d 人(%(rate).0f 人/秒)")
                % {"h": done_households, "m": done_members, "rate": rate}
            )

        rows = generate_households(
            villages=codes,
            households=households,
            seed=seed,
            years=_years(years),
            numbers_from=next_numbers(codes),
        )
        made_households, made_members = write_generated(rows, batch_size=batch_size, progress=progress)
        audit_record(
            action=AuditAction.OTHER,
            object_type="registry.household",
            region_code=county or "",
            detail=_("生成模拟数据:%(h)d 户 %(m)d 人") % {"h": made_households, "m": made_members},
        )
        self.stdout.write(
            _("完成:%(h)d 户 %(m)d 人,用时 %(s).1f 秒。")
            % {"h": made_households, "m": made_members, "s": time.monotonic() - started}
        )
