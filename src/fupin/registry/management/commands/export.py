"""`fupin export households [--format xlsx|csv] [--county CODE] [--user NAME] [--clear --purpose TEXT] -o FILE`.

Masked by default, like the list's 导出. `--clear` writes the clear values and needs `--purpose`
(recorded in the audit row with the row count); with `--user`, that user's scope applies and a
clear export needs their registry.reveal_household.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.registry import selectors
from fupin.registry.exporting import audit_export, export_rows, may_export_clear, write_csv, write_xlsx
from fupin.registry.models import Household

MIN_PURPOSE = 4  # as the 明文导出 form (registry.forms.ClearExportForm)


class Command(BaseCommand):
    help = _("导出贫困户及家庭成员(导入模板的列;默认脱敏,明文须 --clear 并写明 --purpose)。")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["households"])
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--county", default="", help=_("只导出该区划代码(前缀)下的户"))
        parser.add_argument("--user", help=_("按该用户的数据范围和权限导出(默认全部)"))
        parser.add_argument("--clear", action="store_true", help=_("导出明文(须同时写明 --purpose)"))
        parser.add_argument("--purpose", default="", help=_("明文导出的用途,记入审计日志"))
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, format, county, user, clear, purpose, output, **options):
        purpose = " ".join(purpose.split())
        if clear and len(purpose) < MIN_PURPOSE:
            raise CommandError(_("明文导出须用 --purpose 写明用途(至少4个字)"))
        if purpose and not clear:
            raise CommandError(_("--purpose 只用于明文导出(--clear)"))
        if county and not (county.isascii() and county.isdigit() and len(county) <= 12):
            raise CommandError(_("--county 应为区划代码(数字,最多12位)"))
        account = None
        if user:
            account = get_user_model().objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(_("用户 %(name)s 不存在或已停用") % {"name": user})
            if clear and not may_export_clear(account):
                raise CommandError(_("用户 %(name)s 没有查看明文的权限") % {"name": user})
        filters = {"division": county} if county else {}
        if account is not None:
            # The list's own query: what this user would get from the list's 导出 for that division.
            households = selectors.household_list(user=account, filters=filters)
        else:
            households = Household.objects.filter(village__code__startswith=county)
        if format == "csv":
            with open(output, "w", encoding="utf-8", newline="") as fh:
                count = write_csv(fh, households, reveal=clear)
        else:
            count = write_xlsx(output, export_rows(selectors.members_of(households), reveal=clear))
        audit_export(
            count=count,
            reveal=clear,
            purpose=purpose,
            filters=filters,
            fmt=format,
            actor=account,
            region_code=county[:12],
        )
        self.stdout.write(
            self.style.SUCCESS(_("已导出 %(count)d 名成员到 %(file)s") % {"count": count, "file": output})
        )
