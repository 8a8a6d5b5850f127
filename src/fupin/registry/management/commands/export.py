"""`fupin export households [--format xlsx|csv] [--county CODE] [--user NAME] -o FILE`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.audit.models import AuditEvent
from fupin.audit.services import audit_record
from fupin.registry.exporting import export_rows, may_reveal, members_for, write_csv, write_xlsx


class Command(BaseCommand):
    help = _("导出贫困户及家庭成员(导入模板的列;敏感信息按权限脱敏)。")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["households"])
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--county", default="", help=_("只导出该区划代码(前缀)下的户"))
        parser.add_argument("--user", help=_("按该用户的数据范围和权限导出(默认全部,且完整显示)"))
        parser.add_argument("--masked", action="store_true", help=_("即使有权限也脱敏"))
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, format, county, user, masked, output, **options):
        account = None
        if user:
            from fupin.accounts.models import User

            account = User.objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(_("用户 %(name)s 不存在或已停用") % {"name": user})
        reveal = may_reveal(account) and not masked
        members = members_for(account, county)
        rows = export_rows(members, reveal=reveal)
        if format == "csv":
            with open(output, "w", encoding="utf-8", newline="") as fh:
                count = write_csv(fh, rows)
        else:
            count = write_xlsx(output, rows)
        audit_record(
            action=AuditEvent.Action.EXPORT,
            actor=account,
            object_type="registry.member",
            object_repr=_("贫困户家庭成员"),
            region_code=county[:12],
            changes={"count": count, "revealed": reveal},
            detail=_("命令行导出 %(count)d 名成员") % {"count": count},
        )
        self.stdout.write(
            self.style.SUCCESS(_("已导出 %(count)d 名成员到 %(file)s") % {"count": count, "file": output})
        )
