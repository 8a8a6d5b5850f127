"""A background job as people see it: what it is, whose it is, where it stands, what came of it.

The queue (huey) carries the work; this row is the record. Its progress while running is kept in
the queue's storage (see fupin.jobs and services.progress); the row gets the final counts.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.core.models import Created


class Job(Created):
    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    # A UUID, not a number: the id is in the page's address and must not be guessable or countable.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类型"), max_length=60)
    # Null for a job started on the command line: no one sees it on the web.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    label = models.CharField(_("对象"), max_length=200, blank=True)  # a file name, a county …
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("已完成数"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)  # 0: not known
    message = models.CharField(_("进度说明"), max_length=200, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    # In Chinese, for the owner; the traceback goes to the log only.
    error = models.CharField(_("错误信息"), max_length=500, blank=True)
    # The file the job generated (a form, a batch of cards, a report), under files_dir(); '' when none
    # or when it was removed after FUPIN_JOB_FILE_DAYS (see services.output_file, purge_files).
    file = models.CharField(_("生成的文件"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="jobs_owner_created")]

    def __str__(self):
        return f"{self.kind} {self.pk}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int | None:
        """0–100; 99 at most until it is done (a total may be an estimate); None when unknown."""
        if self.state == self.State.DONE:
            return 100
        if not self.total:
            return None
        return min(99, self.done * 100 // self.total)
