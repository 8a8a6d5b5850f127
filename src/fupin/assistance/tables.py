"""The lists of assistance, each declared once: its query form, its rows (a selector) and its columns.

The same declaration drives the page (query form, table, 共 N 条) and its Excel export, so an
export always holds exactly what the list shows, through the same scoped selector.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fupin.assistance import forms, selectors
from fupin.assistance.choices import MeasureStatus, TeamStatus
from fupin.assistance.models import WorkTeam


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable  # row -> a plain value (the export cell, and the page cell unless `html` is given)
    html: Callable | None = None  # row -> safe HTML for the page
    num: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    slug: str  # the URL segment: /assistance/<slug>/ and /assistance/<slug>/export/
    title: str
    query_form: type
    rows: Callable  # (user, filters) -> queryset
    columns: list[Column]
    new: tuple[str, str] | None = None  # (url name, permission) of the 新增 button
    actions: Callable | None = None  # (row, user) -> [(label, url)]
    notes: list[str] = field(default_factory=list)


def _d(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def _tag(text, colour):
    return format_html('<span class="tag tag-{}">{}</span>', colour, text)


def _active(f) -> bool | None:
    return {"1": True, "0": False}.get(f.get("active") or "")


STATUS_COLOURS = {
    MeasureStatus.PLANNED: "blue",
    MeasureStatus.ACTIVE: "orange",
    MeasureStatus.DONE: "green",
    MeasureStatus.CANCELLED: "grey",
    TeamStatus.FORMING: "blue",
    TeamStatus.ACTIVE: "green",
    TeamStatus.ENDED: "grey",
}


def _status(row):
    return _tag(row.get_status_display(), STATUS_COLOURS.get(row.status, "grey"))


def _household_link(household):
    return format_html(
        '<a href="{}">{}</a> <code>{}</code>',
        reverse("registry:household_detail", args=[household.pk]),
        household.head_name or household.number,
        household.number,
    )


def _team_size(row):
    members = getattr(row, "members", 0)
    if members < WorkTeam.MIN_MEMBERS and row.status != TeamStatus.ENDED:
        return format_html("{} {}", members, _tag(_("不足3人"), "red"))
    return members


def _edit(user, perm: str, url_name: str, row) -> list:
    """The 编辑 action, for users who may change the record."""
    return [(_("编辑"), reverse(url_name, args=[row.pk]))] if user.has_perm(perm) else []


def _yuan(value) -> str:
    return number_format(value, 2, force_grouping=True) if value is not None else ""


TABLES = {
    "cadre": Table(
        name="cadre",
        slug="cadres",
        title=_("帮扶干部"),
        query_form=forms.CadreQueryForm,
        rows=lambda user, f: selectors.cadre_list(
            user=user, q=f.get("q", ""), division=f.get("division", ""), level=f.get("level", "")
        ),
        columns=[
            Column(_("姓名"), lambda r: r.name),
            Column(_("工作单位"), lambda r: str(r.unit or "")),
            Column(_("单位层级"), lambda r: r.get_level_display()),
            Column(_("职务"), lambda r: r.title),
            Column(_("工作地"), lambda r: str(r.region)),
            Column(_("登录账号"), lambda r: r.user.username if r.user else ""),
        ],
        new=("assistance:cadre_new", "assistance.add_cadre"),
        actions=lambda r, user: _edit(user, "assistance.change_cadre", "assistance:cadre_edit", r),
    ),
    "pairing": Table(
        name="pairing",
        slug="pairings",
        title=_("结对帮扶"),
        query_form=forms.PairingQueryForm,
        rows=lambda user, f: selectors.pairing_list(
            user=user, q=f.get("q", ""), division=f.get("division", ""), active=_active(f)
        ),
        columns=[
            Column(_("帮扶责任人"), lambda r: r.cadre.name),
            Column(_("工作单位"), lambda r: str(r.cadre.unit or "")),
            Column(_("单位层级"), lambda r: r.cadre.get_level_display()),
            Column(
                _("帮扶对象"),
                lambda r: f"{r.household.head_name} {r.household.number}",
                lambda r: _household_link(r.household),
            ),
            Column(_("行政村"), lambda r: str(r.household.village)),
            Column(_("开始日期"), lambda r: _d(r.start)),
            Column(
                _("结束日期"),
                lambda r: _d(r.end),
                lambda r: _d(r.end) if r.end else _tag(_("帮扶中"), "green"),
            ),
        ],
        new=("assistance:pairing_new", "assistance.add_pairing"),
        actions=lambda r, user: (
            [(_("结束"), reverse("assistance:pairing_end", args=[r.pk]))]
            if r.end is None and user.has_perm("assistance.change_pairing")
            else []
        ),
    ),
    "overdue": Table(
        name="overdue",
        slug="overdue",
        title=_("超期未走访"),
        query_form=forms.QueryForm,
        rows=lambda user, f: selectors.overdue_pairings(user=user).filter(
            household__village__code__startswith=f.get("division", "")
        ),
        columns=[
            Column(
                _("农户"),
                lambda r: f"{r.household.head_name} {r.household.number}",
                lambda r: _household_link(r.household),
            ),
            Column(_("行政村"), lambda r: str(r.household.village)),
            Column(_("帮扶责任人"), lambda r: r.cadre.name),
            Column(
                _("最近走访"),
                lambda r: _d(r.last_visit),
                lambda r: _d(r.last_visit) if r.last_visit else _tag(_("从未走访"), "red"),
            ),
        ],
        actions=lambda r, user: (
            [(_("记录走访"), reverse("assistance:visit_record", args=[r.household_id]))]
            if user.has_perm("assistance.add_visit")
            else []
        ),
    ),
    "visitrecord": Table(
        name="visitrecord",
        slug="visit-records",
        title=_("入户走访"),
        query_form=forms.DivisionQueryForm,
        rows=lambda user, f: selectors.visit_list(user=user, division=f.get("division", "")),
        columns=[
            Column(_("走访日期"), lambda r: _d(r.visited_on)),
            Column(
                _("农户"),
                lambda r: f"{r.household.head_name} {r.household.number}",
                lambda r: _household_link(r.household),
            ),
            Column(_("行政村"), lambda r: str(r.household.village)),
            Column(_("走访人"), lambda r: str(r.cadre or r.visitor or "")),
            Column(_("见到的人"), lambda r: r.people_met),
            Column(_("走访情况"), lambda r: r.notes),
            Column(_("发现的问题"), lambda r: r.issues),
        ],
        new=("assistance:visit_new", "assistance.add_visit"),
        actions=lambda r, user: [(_("查看"), reverse("assistance:visit_detail", args=[r.pk]))],
    ),
    "worklog": Table(
        name="worklog",
        slug="worklogs",
        title=_("工作日志"),
        query_form=forms.DivisionQueryForm,
        rows=lambda user, f: selectors.worklog_list(user=user, division=f.get("division", "")),
        columns=[
            Column(_("日期"), lambda r: _d(r.logged_on)),
            Column(_("填写人"), lambda r: str(r.cadre or r.author or "")),
            Column(_("工作地点"), lambda r: str(r.region)),
            Column(_("工作内容"), lambda r: r.content),
        ],
        new=("assistance:worklog_new", "assistance.add_worklog"),
    ),
    "place": Table(
        name="place",
        slug="places",
        title=_("定点帮扶"),
        query_form=forms.QueryForm,
        rows=lambda user, f: selectors.assisted_place_list(
            user=user, division=f.get("division", ""), q=f.get("q", "")
        ),
        columns=[
            Column(_("帮扶单位"), lambda r: r.unit.name),
            Column(_("帮扶地区"), lambda r: str(r.region)),
            Column(_("区划代码"), lambda r: r.region_id),
            Column(_("开始日期"), lambda r: _d(r.since)),
            Column(
                _("结束日期"),
                lambda r: _d(r.until),
                lambda r: _d(r.until) if r.until else _tag(_("帮扶中"), "green"),
            ),
        ],
        actions=lambda r, user: [
            (_("帮扶活动"), reverse("assistance:activity_list") + f"?division={r.region_id}"),
            (_("培训"), reverse("assistance:training_list") + f"?division={r.region_id}"),
        ],
    ),
    "activity": Table(
        name="activity",
        slug="activities",
        title=_("帮扶活动"),
        query_form=forms.ActivityQueryForm,
        rows=lambda user, f: selectors.activity_list(
            user=user, division=f.get("division", ""), kind=f.get("kind", ""), year=f.get("year")
        ),
        columns=[
            Column(_("活动日期"), lambda r: _d(r.held_on)),
            Column(_("活动类型"), lambda r: r.get_kind_display()),
            Column(_("活动名称"), lambda r: r.title),
            Column(_("帮扶单位"), lambda r: str(r.unit or "")),
            Column(_("活动地点"), lambda r: str(r.region)),
            Column(_("捐赠物品"), lambda r: r.items),
            Column(_("折价(元)"), lambda r: _yuan(r.value), num=True),
            Column(_("参加人数"), lambda r: r.participants, num=True),
        ],
        new=("assistance:activity_new", "assistance.add_activity"),
    ),
    "team": Table(
        name="team",
        slug="teams",
        title=_("驻村工作队"),
        query_form=forms.TeamQueryForm,
        rows=lambda user, f: selectors.team_list(
            user=user, division=f.get("division", ""), status=f.get("status", "")
        ),
        columns=[
            Column(_("工作队名称"), lambda r: r.name),
            Column(_("派出单位"), lambda r: str(r.unit)),
            Column(_("驻村"), lambda r: str(r.village)),
            Column(_("在岗人数"), lambda r: r.members, _team_size, num=True),
            Column(_("开始日期"), lambda r: _d(r.start)),
            Column(_("结束日期"), lambda r: _d(r.end)),
            Column(_("状态"), lambda r: r.get_status_display(), _status),
        ],
        new=("assistance:team_new", "assistance.add_workteam"),
        actions=lambda r, user: (
            [(_("查看"), reverse("assistance:team_detail", args=[r.pk]))]
            + _edit(user, "assistance.change_workteam", "assistance:team_edit", r)
        ),
        notes=[_("驻村工作队至少3人;不足3人的工作队不能进驻。")],
    ),
    "posting": Table(
        name="posting",
        slug="postings",
        title=_("选派干部"),
        query_form=forms.PostingQueryForm,
        rows=lambda user, f: selectors.posting_list(
            user=user,
            division=f.get("division", ""),
            kind=f.get("kind", ""),
            active=_active(f),
            q=f.get("q", ""),
        ),
        columns=[
            Column(_("姓名"), lambda r: r.cadre.name),
            Column(_("派出单位"), lambda r: str(r.cadre.unit or "")),
            Column(_("选派类型"), lambda r: r.get_kind_display()),
            Column(_("派驻地"), lambda r: str(r.region)),
            Column(_("工作队"), lambda r: str(r.team or "")),
            Column(_("挂职/驻村职务"), lambda r: r.post_title),
            Column(_("开始日期"), lambda r: _d(r.start)),
            Column(_("结束日期"), lambda r: _d(r.end)),
        ],
        new=("assistance:posting_new", "assistance.add_posting"),
        actions=lambda r, user: (
            [(_("结束任期"), reverse("assistance:posting_end", args=[r.pk]))]
            if r.end is None and user.has_perm("assistance.change_posting")
            else []
        ),
    ),
    "measure": Table(
        name="measure",
        slug="measures",
        title=_("一户一策"),
        query_form=forms.MeasureQueryForm,
        rows=lambda user, f: selectors.measure_list(
            user=user, division=f.get("division", ""), type=f.get("type", ""), status=f.get("status", "")
        ),
        columns=[
            Column(
                _("农户"),
                lambda r: f"{r.plan.household.head_name} {r.plan.household.number}",
                lambda r: _household_link(r.plan.household),
            ),
            Column(_("行政村"), lambda r: str(r.plan.household.village)),
            Column(_("措施类型"), lambda r: r.get_type_display()),
            Column(_("措施内容"), lambda r: r.content),
            Column(_("责任人"), lambda r: str(r.cadre or "")),
            Column(_("计划完成日期"), lambda r: _d(r.due)),
            Column(_("投入资金(元)"), lambda r: _yuan(r.amount), num=True),
            Column(_("状态"), lambda r: r.get_status_display(), _status),
            Column(_("成效"), lambda r: r.result),
        ],
        new=("assistance:measure_new", "assistance.add_measure"),
        actions=lambda r, user: [(_("办理"), reverse("assistance:plan_detail", args=[r.plan.household_id]))],
    ),
    "training": Table(
        name="training",
        slug="trainings",
        title=_("培训班"),
        query_form=forms.TrainingQueryForm,
        rows=lambda user, f: selectors.training_list(
            user=user, division=f.get("division", ""), kind=f.get("kind", ""), year=f.get("year")
        ),
        columns=[
            Column(_("培训主题"), lambda r: r.topic),
            Column(_("培训形式"), lambda r: r.get_form_display()),
            Column(_("培训对象"), lambda r: r.get_kind_display()),
            Column(_("开始日期"), lambda r: _d(r.start)),
            Column(_("结束日期"), lambda r: _d(r.end)),
            Column(_("培训地点"), lambda r: r.place),
            Column(_("主办单位"), lambda r: str(r.organiser)),
            Column(_("培训地区"), lambda r: str(r.region)),
            Column(_("学时"), lambda r: float(r.hours), num=True),
            Column(_("培训人次"), lambda r: r.person_times or 0, num=True),
        ],
        new=("assistance:training_new", "assistance.add_trainingclass"),
        actions=lambda r, user: (
            [(_("查看"), reverse("assistance:training_detail", args=[r.pk]))]
            + _edit(user, "assistance.change_trainingclass", "assistance:training_edit", r)
        ),
    ),
}
