"""The exchange's forms: a file in the national layout, a return to compare, and the lists' queries."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.core.forms import ScopedForm
from fupin.core.lists import FilterForm
from fupin.exchange.models import Difference
from fupin.regions.forms import RegionField

ALL = [("", gettext_lazy("全部"))]
WHAT_CHOICES = [
    ("roster", gettext_lazy("监测对象名单(打印格式)")),
    ("objects", gettext_lazy("监测对象(国家采集格式)")),
    ("members", gettext_lazy("户籍及家庭成员(国家采集格式)")),
]
FORMAT_CHOICES = [("xlsx", gettext_lazy("Excel(.xlsx)")), ("csv", gettext_lazy("CSV(UTF-8,国家系统导入用)"))]


class ExportForm(ScopedForm):
    region_fields = ("division",)
    division = RegionField(label=gettext_lazy("区域"))
    what = forms.ChoiceField(label=gettext_lazy("导出内容"), choices=WHAT_CHOICES)
    format = forms.ChoiceField(
        label=gettext_lazy("文件格式"),
        choices=FORMAT_CHOICES,
        initial="xlsx",
        help_text=gettext_lazy("监测对象名单总是 .xlsx。"),
    )
    unit = forms.CharField(
        label=gettext_lazy("填报单位"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("印在监测对象名单上;不填时为所选区域名称。"),
    )
    clear = forms.BooleanField(
        label=gettext_lazy("明文导出(含完整证件号码等个人信息)"),
        required=False,
        help_text=gettext_lazy(
            "默认脱敏。明文导出需有查看完整个人敏感信息的权限,并须说明用途;每次均记入审计日志。"
        ),
    )
    purpose = forms.CharField(label=gettext_lazy("用途"), required=False, max_length=200)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("clear"):
            if not self.user.has_perm("registry.reveal_household"):
                self.add_error("clear", _("您没有查看完整个人敏感信息的权限,只能脱敏导出。"))
            if not (cleaned.get("purpose") or "").strip():
                self.add_error("purpose", _("明文导出须说明用途。"))
        return cleaned


class ReturnForm(ScopedForm):
    region_fields = ("county",)
    county = RegionField(label=gettext_lazy("县(市、区)"), levels=(3,))
    file = forms.FileField(
        label=gettext_lazy("回传文件"),
        help_text=gettext_lazy(
            "国家系统导出的户籍及家庭成员表(.xlsx 或 .csv),第一行为表头,须有“证件号码”列;不能含公式。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("只能导入 .xlsx 或 .csv 文件。"))
        return upload


class RunQueryForm(FilterForm):
    region_fields = ("division",)
    division = RegionField(label=gettext_lazy("区划"), required=False)


class DifferenceQueryForm(FilterForm):
    run = forms.IntegerField(label=gettext_lazy("比对编号"), required=False, min_value=1)
    kind = forms.ChoiceField(
        label=gettext_lazy("类别"), required=False, choices=ALL + Difference.Kind.choices
    )
    q = forms.CharField(label=gettext_lazy("户编号或姓名"), required=False, max_length=50)
