"""`fupin jobs`: background jobs on the command line.

fupin jobs                 the latest jobs
fupin jobs <id>            one job's state and progress
fupin jobs --wait <id>     follow its progress until it ends (exit 1 if it failed)
fupin jobs --check         queue a small test job and follow it: is a consumer running?
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.jobs import selectors
from fupin.jobs.console import describe, follow, line
from fupin.jobs.services import enqueue


class Command(BaseCommand):
    help = _("后台任务:查看最近的任务、某个任务的进度,或跟踪任务直到完成。")

    def add_arguments(self, parser):
        parser.add_argument("job_id", nargs="?", help=_("任务编号"))
        parser.add_argument(
            "--wait", action="store_true", help=_("跟踪进度直到任务结束;任务失败时退出码为 1")
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("提交一个测试任务并跟踪它,检查任务队列的工作进程是否在运行"),
        )
        parser.add_argument(
            "--timeout", type=float, default=None, help=_("最多等待的秒数(与 --wait、--check 一起用)")
        )

    def handle(self, *args, job_id=None, wait=False, check=False, timeout=None, **options):
        if check:
            from fupin.jobs.tasks import CHECK
            from fupin.jobs.tasks import check as check_task

            job = enqueue(CHECK.name, None, check_task)
            self._end(follow(job.pk, self.stdout, timeout=30.0 if timeout is None else timeout))
            self.stdout.write(_("任务队列正常:工作进程接手并完成了测试任务。"))
            return
        if job_id is None:
            jobs = selectors.recent_jobs()
            if not jobs:
                self.stdout.write(_("还没有后台任务。"))
            for job in jobs:
                owner = job.owner.username if job.owner else _("命令行")
                self.stdout.write(f"{job.pk}  {job.created_at:%Y-%m-%d %H:%M}  {owner}  {describe(job)}")
                self.stdout.write(f"    {line(job)}")
            return
        if wait:
            self._end(follow(job_id, self.stdout, timeout=timeout))
            return
        job = selectors.job_by_id(job_id)
        if job is None:
            raise CommandError(_("没有编号为 %(id)s 的任务。") % {"id": job_id})
        self.stdout.write(describe(job))
        self.stdout.write(line(job))

    def _end(self, job) -> None:
        if job is None:
            raise CommandError(_("没有这个任务。"))
        if job.state == job.State.FAILED:
            raise CommandError(job.error)
        if not job.finished:
            raise CommandError(_("等待超时,任务还没有结束(%(state)s)。") % {"state": job.get_state_display()})
