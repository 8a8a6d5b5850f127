"""`fupin audit verify` checks the hash chain; `fupin audit purge [--days N]` is the retention job."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fupin.audit.services import MIN_RETENTION_DAYS, audit_purge, audit_verify


class Command(BaseCommand):
    help = "审计日志:verify 校验哈希链;purge 按保留期清理过期记录。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="校验审计日志哈希链")
        verify.add_argument("--batch-size", type=int, default=2000)
        purge = sub.add_parser("purge", help="清理超过保留期的审计记录")
        purge.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"保留天数(默认 AUDIT_RETENTION_DAYS,不少于 {MIN_RETENTION_DAYS})",
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "verify":
            return self.verify(options["batch_size"])
        return self.purge(options["days"])

    def verify(self, batch_size):
        checked, bad, why = audit_verify(batch_size=batch_size)
        if bad is None:
            self.stdout.write(self.style.SUCCESS(f"OK: {checked} 条审计记录,哈希链完整。"))
            return
        self.stderr.write(f"BROKEN: 第一条异常记录 id={bad.id}({why});此前 {checked} 条校验通过。")
        raise SystemExit(1)

    def purge(self, days):
        try:
            count = audit_purge(days=days)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"已清理 {count} 条过期审计记录。"))
