"""A return from the national system compared with our records: the run and its differences.

Nothing of a return is written into the registry: each row is keyed by the ID number's keyed index
and compared field by field (exchange.layout), and what differs is kept here, the county's, for the
county to settle. Personal values are kept masked (an ID number never in clear).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.core import crypto
from fupin.core.masking import mask_id_number
from fupin.core.scoping import ScopedManager


class ReturnRun(models.Model):
    """One return file read against the county's records."""

    class State(models.TextChoices):
        RUNNING = "running", _("比对中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    county = models.ForeignKey(
        "regions.Region", verbose_name=_("县(市、区)"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    job_id = models.UUIDField(_("任务"), null=True, blank=True)
    file_name = models.CharField(_("文件"), max_length=200)
    started_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.RUNNING)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    matched = models.PositiveIntegerField(_("匹配人数"), default=0)
    changed = models.PositiveIntegerField(_("不一致项"), default=0)
    codes = models.PositiveIntegerField(_("国家编号不一致"), default=0)
    theirs_unknown = models.PositiveIntegerField(_("我方无此人"), default=0)
    ours_unknown = models.PositiveIntegerField(_("国家系统无此人"), default=0)
    errors = models.PositiveIntegerField(_("错误行"), default=0)

    objects = ScopedManager()
    scope_region_field = "county__code"

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("国家系统回传比对")
        verbose_name_plural = _("国家系统回传比对")
        permissions = [
            ("export_national", _("可以按国家系统格式导出")),
            ("import_return", _("可以导入国家系统回传数据并比对")),
        ]

    def __str__(self):
        return f"{self.county_id} {self.file_name}"


class Difference(models.Model):
    """One difference of a return with our records (row and column of the return's file)."""

    class Kind(models.TextChoices):
        CHANGED = "changed", _("数据不一致")
        CODE = "code", _("国家编号不一致")
        THEIRS_UNKNOWN = "theirs_unknown", _("本县无此人")
        OURS_UNKNOWN = "ours_unknown", _("国家系统无此人")
        ERROR = "error", _("数据有误")

    run = models.ForeignKey(
        ReturnRun, verbose_name=_("比对"), on_delete=models.CASCADE, related_name="differences"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    row = models.PositiveIntegerField(_("行号"), null=True, blank=True)
    column = models.CharField(_("列"), max_length=50, blank=True)
    household_number = models.CharField(_("户编号"), max_length=40, blank=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    # The return's ID number, encrypted (core.crypto): no clear part of it in the database, not even
    # the last four digits a mask shows (see docs "Personal data"); masked when shown.
    id_number_enc = models.TextField(blank=True, editable=False)
    ours = models.CharField(_("本系统"), max_length=200, blank=True)
    theirs = models.CharField(_("国家系统"), max_length=200, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)

    objects = ScopedManager()
    scope_region_field = "run__county__code"

    class Meta:
        ordering = ["run", "id"]
        verbose_name = _("比对差异")
        verbose_name_plural = _("比对差异")

    def __str__(self):
        return f"{self.run_id} {self.row} {self.column}"

    @property
    def id_masked(self) -> str:
        return mask_id_number(crypto.decrypt(self.id_number_enc)) if self.id_number_enc else ""
