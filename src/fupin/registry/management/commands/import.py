"""`fupin import households FILE [--dry-run] [--report OUT.xlsx] [--partial] [--user NAME]`."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.registry.importing.importer import run_import
from fupin.registry.importing.readers import FileRejected


class Command(BaseCommand):
    help = _("导入贫困户及家庭成员(.xlsx 或 .csv,按导入模板的表头)。默认全部成功才写入。")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["households"])
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help=_("只校验,不写入;配合 --report 输出错误报告")
        )
        parser.add_argument("--report", help=_("错误报告(.xlsx)的保存路径"))
        parser.add_argument("--partial", action="store_true", help=_("跳过有错误的户,导入其余的户"))
        parser.add_argument("--user", help=_("以该用户的数据范围导入(默认不限范围)"))

    def handle(self, *args, file, dry_run, report, partial, user, **options):
        account = None
        if user:
            account = get_user_model().objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(_("用户 %(name)s 不存在或已停用") % {"name": user})
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("文件不存在:%(file)s") % {"file": file})

        def progress(rows: int) -> None:
            self.stdout.write(_("已处理 %(n)d 行 …") % {"n": rows})

        try:
            result = run_import(
                path,
                user=account,
                dry_run=dry_run,
                partial=partial,
                report_path=Path(report) if report else None,
                progress=progress if options.get("verbosity", 1) > 1 else None,
            )
        except FileRejected as exc:
            raise CommandError(exc.message) from exc
        if result.encoding:
            self.stdout.write(_("文件编码:%(encoding)s") % {"encoding": result.encoding})
        for error in result.errors[:100]:
            self.stderr.write(
                _("第 %(line)d 行 [%(column)s] %(value)s:%(reason)s")
                % {"line": error.line, "column": error.column, "value": error.value, "reason": error.reason}
            )
        if result.error_count > 100:
            self.stderr.write(_("……另有 %(n)d 处错误未列出") % {"n": result.error_count - 100})
        if report:
            self.stdout.write(_("错误报告:%(path)s") % {"path": report})
        self.stdout.write(
            _("共 %(rows)d 行。%(summary)s") % {"rows": result.rows, "summary": result.summary()}
        )
        if dry_run:
            self.stdout.write(_("试导入(仅校验):没有写入任何数据。"))
            if result.error_count:
                raise CommandError(_("发现 %(n)d 处错误。") % {"n": result.error_count})
        elif not result.written:
            raise CommandError(_("发现 %(n)d 处错误,未写入任何数据。") % {"n": result.error_count})
        elif result.error_count:
            self.stdout.write(
                self.style.WARNING(
                    _("已跳过 %(h)d 户(%(n)d 处错误),其余已导入。")
                    % {"h": result.bad_households, "n": result.error_count}
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("导入完成。")))
