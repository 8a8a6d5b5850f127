from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.demo.builders import MissingRegions, build_all
from fupin.demo.users import DEMO_PASSWORD, USERS


class Command(BaseCommand):
    help = "建立演示数据(可重复运行):种子材料中的单位、地区和每个角色一个账号。"

    def handle(self, *args, **options):
        try:
            made = build_all()
        except MissingRegions as exc:
            raise CommandError(
                _("缺少区划代码 %(codes)s,请先运行 fupin regions load。") % {"codes": exc}
            ) from exc
        if not any(made.values()):
            self.stdout.write(_("演示数据已是最新,没有变化。"))
        else:
            self.stdout.write(_("新建单位 %(units)d 个,账号 %(users)d 个,农户 %(households)d 户。") % made)
        self.stdout.write("")
        self.stdout.write(_("演示账号(密码均为 %(password)s):") % {"password": DEMO_PASSWORD})
        for username, full_name, role, scopes, unit, _title in USERS:
            where = " ".join(scopes) or (unit or "")
            self.stdout.write(f"  {username:<20} {str(role.label):<14} {full_name} {where}")
        self.stdout.write(_("三员账号首次登录时需绑定动态口令(TOTP)。"))
