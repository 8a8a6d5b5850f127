"""The exchange's lists on the one list mechanism (core.lists): the returns read and their differences."""

from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.core.lists import DATETIME, INT, Column, ListSpec
from fupin.exchange import forms
from fupin.exchange.models import Difference, ReturnRun

VIEW_PERM = "exchange.import_return"


def runs_visible_to(user):
    return ReturnRun.objects.visible_to(user).select_related("county", "owner")


def differences_visible_to(user):
    return Difference.objects.visible_to(user)


def run_rows(user, filters: dict):
    rows = runs_visible_to(user)
    code = filters.get("division")
    if code:
        rows = rows.filter(county__code__startswith=code[:6])
    return rows


def difference_rows(user, filters: dict):
    rows = differences_visible_to(user)
    if filters.get("run"):
        rows = rows.filter(run_id=filters["run"])
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("q"):
        q = filters["q"].strip()
        rows = rows.filter(Q(household_number__startswith=q) | Q(name__startswith=q))
    return rows.order_by("run_id", "id")


def _differences_link(r):
    return format_html('<a href="{}?run={}">{}</a>', reverse("exchange:difference_list"), r.pk, r.file_name)


RUNS = ListSpec(
    name="exchange.run",
    url="exchange:run",
    title=gettext_lazy("国家系统回传比对"),
    filters=forms.RunQueryForm,
    rows=run_rows,
    columns=[
        Column(gettext_lazy("编号"), lambda r: r.pk, INT, sort="id"),
        Column(gettext_lazy("县"), lambda r: r.county.name, sort="county_id"),
        Column(gettext_lazy("文件名"), lambda r: r.file_name, html=_differences_link),
        Column(gettext_lazy("状态"), lambda r: r.get_state_display()),
        Column(gettext_lazy("行数"), lambda r: r.rows, INT, sort="rows"),
        Column(gettext_lazy("匹配人数"), lambda r: r.matched, INT, sort="matched"),
        Column(gettext_lazy("不一致项"), lambda r: r.changed, INT, sort="changed"),
        Column(gettext_lazy("国家编号不一致"), lambda r: r.codes, INT, sort="codes"),
        Column(gettext_lazy("本县无此人"), lambda r: r.theirs_unknown, INT, sort="theirs_unknown"),
        Column(gettext_lazy("国家系统无此人"), lambda r: r.ours_unknown, INT, sort="ours_unknown"),
        Column(gettext_lazy("错误行"), lambda r: r.errors, INT, sort="errors"),
        Column(gettext_lazy("上传人"), lambda r: str(getattr(r.owner, "full_name", "") or r.owner or "")),
        Column(gettext_lazy("上传时间"), lambda r: r.started_at, DATETIME, sort="started_at"),
    ],
    permission=VIEW_PERM,
    new=("exchange:upload", VIEW_PERM),
    actions=lambda r, user: [(_("查看差异"), reverse("exchange:difference_list") + f"?run={r.pk}")],
)

DIFFERENCES = ListSpec(
    name="exchange.difference",
    url="exchange:difference",
    title=gettext_lazy("比对差异"),
    filters=forms.DifferenceQueryForm,
    rows=difference_rows,
    columns=[
        Column(gettext_lazy("比对编号"), lambda r: r.run_id, INT),
        Column(gettext_lazy("类别"), lambda r: r.get_kind_display(), sort="kind"),
        Column(gettext_lazy("行号"), lambda r: r.row, INT, sort="row"),
        Column(gettext_lazy("列"), lambda r: r.column),
        Column(gettext_lazy("户编号"), lambda r: r.household_number, sort="household_number"),
        Column(gettext_lazy("姓名"), lambda r: r.name),
        Column(gettext_lazy("证件号码"), lambda r: r.id_masked),
        Column(gettext_lazy("本系统"), lambda r: r.ours),
        Column(gettext_lazy("国家系统"), lambda r: r.theirs),
        Column(gettext_lazy("说明"), lambda r: r.message),
    ],
    permission=VIEW_PERM,
    notes=[
        gettext_lazy("回传数据只比对、不覆盖本系统数据;个人信息已脱敏。"),
    ],
)
