"""The lists of party work, each declared once (fupin.core.lists): its query form, its rows (a scoped
selector), its columns; the page, the export, the API's list and their URLs all come from it."""

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fupin.core.lists import BOOL, DATE, DECIMAL, INT, MONEY, Column, ListSpec, urls
from fupin.party import forms, selectors
from fupin.party.choices import MEETING_EVERY_MONTHS, MeetingKind, Stage, Star, WeakCriterion, WeakStatus

SHARED = {
    "nav": "party/_nav.html",
    # party/_base.html brings party.css (the section bar); the list page draws its own breadcrumb.
    "extra": {"list_base": "party/_base.html", "section": (_("党建"), "party:home")},
}


def _tag(text, colour):
    return format_html('<span class="tag tag-{}">{}</span>', colour, text)


VIEW = _("查看")


def _view(url_name: str, key=lambda r: r.pk, label=VIEW):
    """The row's one action: a link to its page."""
    return lambda r, user: [(label, reverse(url_name, args=[key(r)]))]


def _region(region) -> str:
    return str(region) if region else ""


def _this_year() -> int:
    return timezone.localdate().year


def _members(user, f):
    stage = f.get("stage", "")
    members = selectors.member_list(
        user=user, q=f.get("q", ""), stage="" if stage == forms.PARTY_MEMBERS else stage,
        division=f.get("division"),
    )  # fmt: skip
    if stage == forms.PARTY_MEMBERS:
        members = members.filter(stage__in=[Stage.PROBATIONARY, Stage.FULL])
    return members.filter(status=f["status"]) if f.get("status") else members


def _meetings(user, f):
    meetings = selectors.meeting_list(
        user=user, kind=f.get("kind", ""), year=f.get("year"), division=f.get("division")
    )
    return meetings.filter(held_on__month=f["month"]) if f.get("month") else meetings


def _weak_cases(user, f):
    status = f.get("status", "")
    cases = selectors.weak_case_list(
        user=user, status="" if status == forms.IN_FORCE else status, year=f.get("year"),
        division=f.get("division"),
    )  # fmt: skip
    return cases.exclude(status=WeakStatus.REVOKED) if status == forms.IN_FORCE else cases


ORGS = ListSpec(
    name="party.partyorg",
    url="party:org",
    title=_("党组织"),
    filters=forms.OrgQueryForm,
    rows=lambda user, f: selectors.org_list(
        user=user,
        q=f.get("q", ""),
        kind=f.get("kind", ""),
        level=f.get("level", ""),
        division=f.get("division"),
    ),
    columns=[
        Column(_("组织名称"), lambda o: o.name, sort="name"),
        Column(_("组织层级"), lambda o: o.get_level_display(), sort="level"),
        Column(_("组织类型"), lambda o: o.get_kind_display(), sort="kind"),
        Column(_("上级组织"), lambda o: str(o.parent or "")),
        Column(_("所在区划"), lambda o: _region(o.region), sort="region_id"),
        Column(_("所属单位"), lambda o: str(o.unit or "")),
        Column(_("成立日期"), lambda o: o.founded_on, DATE, sort="founded_on"),
    ],
    permission="party.view_partyorg",
    new=("party:org_create", "party.add_partyorg"),
    actions=_view("party:org_detail"),
    **SHARED,
)

MEMBERS = ListSpec(
    name="party.partymember",
    url="party:member",
    title=_("党员"),
    filters=forms.MemberQueryForm,
    rows=lambda user, f: _members(user, f),
    columns=[
        Column(_("姓名"), lambda m: m.name, sort="name"),
        Column(_("所在组织"), lambda m: m.org.name, sort="org__name"),
        Column(_("党内职务"), lambda m: m.get_post_display(), sort="post"),
        Column(
            _("发展阶段"),
            lambda m: m.get_stage_display(),
            sort="stage",
            # A recruit on the way (not yet a full member) stands out.
            html=lambda m: (
                m.get_stage_display() if m.stage == "full" else _tag(m.get_stage_display(), "orange")
            ),
        ),
        Column(_("状态"), lambda m: m.get_status_display(), sort="status"),
        Column(_("入党日期"), lambda m: m.joined_on, DATE, sort="joined_on"),
        Column(_("转正日期"), lambda m: m.full_on, DATE, sort="full_on"),
    ],
    permission="party.view_partymember",
    actions=_view("party:member_detail"),
    **SHARED,
)

MEETINGS = ListSpec(
    name="party.meeting",
    url="party:meeting",
    title=_("组织生活"),
    filters=forms.MeetingQueryForm,
    rows=lambda user, f: _meetings(user, f),
    columns=[
        Column(_("日期"), lambda m: m.held_on, DATE, sort="held_on"),
        Column(_("党组织"), lambda m: m.org.name, sort="org__name"),
        Column(_("类型"), lambda m: m.get_kind_display(), sort="kind"),
        Column(_("主题"), lambda m: m.topic),
        Column(_("实到党员"), lambda m: m.attendee_count, INT, sort="attendee_count"),
        Column(_("缺席党员"), lambda m: m.absent_count, INT, sort="absent_count"),
        Column(_("列席人数"), lambda m: len(m.guests or ()), INT),
    ],
    permission="party.view_meeting",
    actions=_view("party:meeting_detail"),
    toolbar=lambda user, querystring: [(_("缺会提醒"), reverse("party:overdue_list"))],
    **SHARED,
)

OVERDUE = ListSpec(
    name="party.overdue",
    url="party:overdue",
    title=_("缺会提醒"),
    filters=forms.YearQueryForm,
    rows=lambda user, f: selectors.overdue_branches(
        user=user, year=f.get("year") or _this_year(), division=f.get("division")
    ),
    columns=[
        Column(_("党组织"), lambda o: o.name, sort="name"),
        Column(_("所在区划"), lambda o: _region(o.region), sort="region_id"),
        *[
            Column(MeetingKind(kind).label, lambda o, kind=kind: getattr(o, f"missed_{kind}"), INT)
            for kind in MEETING_EVERY_MONTHS
        ],
        Column(_("缺会合计"), lambda o: o.missed, INT, sort="missed"),
    ],
    permission="party.view_meeting",
    actions=_view("party:calendar", label=_("日历")),
    notes=[_("各类会议未按期召开的次数(已结束的月份或季度);每次缺会的时段见该党组织的日历。")],
    **SHARED,
)

PAIRINGS = ListSpec(
    name="party.pairing",
    url="party:pairing",
    title=_("支部结对共建"),
    filters=forms.KeywordQueryForm,
    rows=lambda user, f: selectors.pairing_list(user=user, q=f.get("q", ""), division=f.get("division")),
    columns=[
        Column(_("帮扶方支部"), lambda p: p.helper.name, sort="helper__name"),
        Column(_("所属单位"), lambda p: str(p.helper.unit or "")),
        Column(_("结对村支部"), lambda p: p.village_branch.name, sort="village_branch__name"),
        Column(_("所在区划"), lambda p: _region(p.village_branch.region), sort="village_branch__region_id"),
        Column(_("开始日期"), lambda p: p.started_on, DATE, sort="started_on"),
        Column(_("结束日期"), lambda p: p.ended_on, DATE, sort="ended_on"),
        Column(_("活动次数"), lambda p: p.activity_count, INT, sort="activity_count"),
        Column(_("捐赠折合金额(元)"), lambda p: p.donated, MONEY, sort="donated"),
    ],
    permission="party.view_pairing",
    new=("party:pairing_create", "party.add_pairing"),
    actions=_view("party:pairing_detail"),
    **SHARED,
)

SCORES = ListSpec(
    name="party.branchscore",
    url="party:score",
    title=_("标准化评分排名"),
    filters=forms.ScoreQueryForm,
    rows=lambda user, f: selectors.score_ranking(
        user=user, year=f.get("year") or _this_year() - 1, division=f.get("division")
    ),
    columns=[
        Column(_("排名"), lambda s: s["rank"], INT),
        Column(_("党组织"), lambda s: s["org_name"], sort="org__name"),
        Column(_("所在区划"), lambda s: s["region_short"] or s["region_name"] or ""),
        Column(_("年度"), lambda s: s["year"], INT),
        Column(_("总分"), lambda s: s["total"], DECIMAL, sort="total"),
        Column(
            _("星级"),
            lambda s: Star(s["star"]).label,
            sort="star",
            tag=lambda s: "red" if s["star"] >= Star.FOUR else "grey",
        ),
        Column(_("群众满意度(%)"), lambda s: s["satisfaction"], DECIMAL, sort="satisfaction"),
    ],
    permission="party.view_branchscore",
    actions=_view("party:org_detail", key=lambda s: s["org_id"]),
    **SHARED,
)

WEAK_COLOURS = {
    WeakStatus.IDENTIFIED: "red",
    WeakStatus.RECTIFYING: "orange",
    WeakStatus.CLOSED: "green",
    WeakStatus.REVOKED: "grey",
}

WEAK_CASES = ListSpec(
    name="party.weakcase",
    url="party:weak",
    title=_("软弱涣散党组织整顿"),
    filters=forms.WeakQueryForm,
    rows=lambda user, f: _weak_cases(user, f),
    columns=[
        Column(_("党组织"), lambda c: c.org.name, sort="org__name"),
        Column(_("所在区划"), lambda c: _region(c.org.region), sort="org__region_id"),
        Column(_("年度"), lambda c: c.year, INT, sort="year"),
        Column(_("认定情形"), lambda c: "、".join(str(WeakCriterion(x).label) for x in c.criteria)),
        Column(_("整改责任人"), lambda c: c.owner),
        Column(_("整改时限"), lambda c: c.deadline, DATE, sort="deadline"),
        Column(
            _("状态"),
            lambda c: c.get_status_display(),
            sort="status",
            tag=lambda c: WEAK_COLOURS.get(c.status, "grey"),
        ),
    ],
    permission="party.view_weakcase",
    actions=_view("party:weak_detail"),
    **SHARED,
)


def _latest_assessment(cadre) -> str:
    latest = max(cadre.assessments.all(), key=lambda a: a.year, default=None)  # prefetched
    return f"{latest.year} {latest.get_result_display()}" if latest else ""


RESERVES = ListSpec(
    name="party.reservecadre",
    url="party:reserve",
    title=_("后备干部库"),
    filters=forms.ReserveQueryForm,
    rows=lambda user, f: selectors.reserve_list(
        user=user, q=f.get("q", ""), status=f.get("status", ""), division=f.get("division")
    ),
    columns=[
        Column(_("姓名"), lambda c: c.name, sort="name"),
        Column(_("村党组织"), lambda c: c.org.name, sort="org__name"),
        Column(_("性别"), lambda c: c.get_sex_display()),
        Column(_("年龄"), lambda c: _this_year() - c.birth_year, INT),
        Column(_("文化程度"), lambda c: c.get_education_display(), sort="education"),
        Column(_("中共党员"), lambda c: c.is_party_member, BOOL, sort="is_party_member"),
        Column(_("现任职务/从业"), lambda c: c.current_work),
        Column(_("最近考核"), _latest_assessment),
        Column(_("状态"), lambda c: c.get_status_display(), sort="status"),
    ],
    permission="party.view_reservecadre",
    new=("party:reserve_create", "party.add_reservecadre"),
    actions=_view("party:reserve_detail"),
    **SHARED,
)

CADRE_SCORES = ListSpec(
    name="party.cadremonthscore",
    url="party:cadre",
    title=_("村干部绩效月考评"),
    filters=forms.MonthQueryForm,
    rows=lambda user, f: selectors.cadre_ranking(
        user=user, month=f.get("month") or selectors.latest_cadre_month(user), division=f.get("division")
    ),
    columns=[
        Column(_("排名"), lambda s: s["rank"], INT),
        Column(_("姓名"), lambda s: s["name"], sort="cadre__name"),
        Column(_("职务"), lambda s: s["post"]),
        Column(_("村党组织"), lambda s: s["org_name"], sort="cadre__org__name"),
        Column(_("月份"), lambda s: s["month"].strftime("%Y-%m")),
        Column(_("总分"), lambda s: s["total"], DECIMAL, sort="total"),
    ],
    permission="party.view_cadremonthscore",
    actions=_view("party:cadre_detail", key=lambda s: s["cadre_id"], label=_("历史")),
    **SHARED,
)

# URL segment of each list: /party/<route> and /party/<route>export/
ROUTES = {
    "orgs/": ORGS,
    "members/": MEMBERS,
    "meetings/": MEETINGS,
    "meetings/overdue/": OVERDUE,
    "pairings/": PAIRINGS,
    "scores/": SCORES,
    "weak/": WEAK_CASES,
    "reserves/": RESERVES,
    "cadres/": CADRE_SCORES,
}
URLS = [pattern for route, spec in ROUTES.items() for pattern in urls(spec, route)]
