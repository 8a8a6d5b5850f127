"""The lists of assistance, each declared once (fupin.core.lists): its query form, its rows (a scoped
selector), its columns; the page, the export and their URLs all come from the declaration."""

from django.db.models import Sum
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fupin.assistance import forms, selectors
from fupin.assistance.choices import MeasureStatus, TeamStatus, TrainingKind
from fupin.assistance.indicators import serving_first_secretary
from fupin.assistance.models import WorkTeam
from fupin.core.forms import scope_root
from fupin.core.lists import BOOL, DATE, DECIMAL, INT, MONEY, Column, ListSpec, display, urls
from fupin.regions.models import Region
from fupin.reports import selectors as reports

TRAINING_KINDS = dict(TrainingKind.choices)


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


PERMISSION = "assistance.view_pairing"
SHARED = {
    "permission": PERMISSION,
    "nav": "assistance/_nav.html",
    "extra": {"section": (_("帮扶"), "assistance:home")},
}


def _household(path: str):
    """The 农户 column of a row reaching its household through `path` ("household", "plan__household")."""

    def household(row):
        for part in path.split("__"):
            row = getattr(row, part)
        return row

    return Column(
        _("农户"),
        lambda r: f"{household(r).head_name} {household(r).number}",
        html=lambda r: _household_link(household(r)),
        sort=f"{path}__number",
    )


def _until(header, attr: str, sort: str):
    """An end date that is empty while the work goes on (shown as 帮扶中)."""
    return Column(
        header,
        lambda r: getattr(r, attr),
        DATE,
        sort=sort,
        html=lambda r: display(getattr(r, attr), DATE) or _tag(_("帮扶中"), "green"),
    )


def _visits(user, f):
    """The visits, of a year or a month when `visited_in` says (the drill of 走访次数)."""
    visits = selectors.visit_list(user=user, division=f.get("division", ""))
    period = f.get("visited_in") or ""
    if not period:
        return visits
    year, _dash, month = period.partition("-")
    visits = visits.filter(visited_on__year=int(year))
    return visits.filter(visited_on__month=int(month)) if month else visits


def _coverage_rows(user, f):
    """Poor villages, only the uncovered or only the covered ones when asked (the drill of
    第一书记覆盖村数 takes the covered: indicators.serving_first_secretary, the report's rule)."""
    villages = selectors.poor_villages(
        user=user, division=f.get("division", ""), uncovered_only=bool(f.get("uncovered"))
    )
    return villages.filter(serving_first_secretary()) if f.get("covered") else villages


CADRES = ListSpec(
    name="assistance.cadre",
    url="assistance:cadre",
    title=_("帮扶干部"),
    filters=forms.CadreQueryForm,
    rows=lambda user, f: selectors.cadre_list(
        user=user, q=f.get("q", ""), division=f.get("division", ""), level=f.get("level", "")
    ),
    columns=[
        Column(_("姓名"), lambda r: r.name, sort="name"),
        Column(_("工作单位"), lambda r: str(r.unit or "")),
        Column(_("单位层级"), lambda r: r.get_level_display(), sort="level"),
        Column(_("职务"), lambda r: r.title),
        Column(_("联系电话"), lambda r: r.phone_masked),
        Column(_("工作地"), lambda r: str(r.region), sort="region_id"),
        Column(_("登录账号"), lambda r: r.user.username if r.user else ""),
    ],
    new=("assistance:cadre_new", "assistance.add_cadre"),
    actions=lambda r, user: _edit(user, "assistance.change_cadre", "assistance:cadre_edit", r),
    **SHARED,
)

PAIRINGS = ListSpec(
    name="assistance.pairing",
    url="assistance:pairing",
    title=_("结对帮扶"),
    filters=forms.PairingQueryForm,
    rows=lambda user, f: selectors.pairing_list(
        user=user, q=f.get("q", ""), division=f.get("division", ""), active=_active(f)
    ),
    columns=[
        Column(_("帮扶责任人"), lambda r: r.cadre.name, sort="cadre__name"),
        Column(_("工作单位"), lambda r: str(r.cadre.unit or "")),
        Column(_("单位层级"), lambda r: r.cadre.get_level_display()),
        Column(
            _("帮扶对象"),
            lambda r: f"{r.household.head_name} {r.household.number}",
            html=lambda r: _household_link(r.household),
            sort="household__number",
        ),
        Column(_("行政村"), lambda r: str(r.household.village), sort="household__village_id"),
        Column(_("开始日期"), lambda r: r.start, DATE, sort="start"),
        _until(_("结束日期"), "end", "end"),
    ],
    new=("assistance:pairing_new", "assistance.add_pairing"),
    actions=lambda r, user: (
        [(_("结束"), reverse("assistance:pairing_end", args=[r.pk]))]
        if r.end is None and user.has_perm("assistance.change_pairing")
        else []
    ),
    **SHARED,
)

OVERDUE = ListSpec(
    name="assistance.overdue",
    url="assistance:overdue",
    title=_("超期未走访"),
    filters=forms.OverdueQueryForm,
    rows=lambda user, f: selectors.overdue_pairings(user=user, mine=bool(f.get("mine"))).filter(
        household__village__code__startswith=f.get("division", "")
    ),
    columns=[
        _household("household"),
        Column(_("行政村"), lambda r: str(r.household.village)),
        Column(_("帮扶责任人"), lambda r: r.cadre.name),
        Column(
            _("最近走访"),
            lambda r: r.last_visit,
            DATE,
            html=lambda r: display(r.last_visit, DATE) or _tag(_("从未走访"), "red"),
        ),
    ],
    actions=lambda r, user: (
        [(_("记录走访"), reverse("assistance:visit_record", args=[r.household_id]))]
        if user.has_perm("assistance.add_visit")
        else []
    ),
    **SHARED,
)

VISITS = ListSpec(
    name="assistance.visitrecord",
    url="assistance:visitrecord",
    title=_("入户走访"),
    filters=forms.VisitQueryForm,
    rows=lambda user, f: _visits(user, f),
    columns=[
        Column(_("走访日期"), lambda r: r.visited_on, DATE, sort="visited_on"),
        _household("household"),
        Column(_("行政村"), lambda r: str(r.household.village)),
        Column(_("走访人"), lambda r: str(r.cadre or r.visitor or "")),
        Column(_("见到的人"), lambda r: r.people_met),
        Column(_("走访情况"), lambda r: r.notes),
        Column(_("发现的问题"), lambda r: r.issues),
    ],
    new=("assistance:visit_new", "assistance.add_visit"),
    actions=lambda r, user: [(_("查看"), reverse("assistance:visit_detail", args=[r.pk]))],
    **SHARED,
)

WORKLOGS = ListSpec(
    name="assistance.worklog",
    url="assistance:worklog",
    title=_("工作日志"),
    filters=forms.DivisionQueryForm,
    rows=lambda user, f: selectors.worklog_list(user=user, division=f.get("division", "")),
    columns=[
        Column(_("日期"), lambda r: r.logged_on, DATE, sort="logged_on"),
        Column(_("填写人"), lambda r: str(r.cadre or r.author or "")),
        Column(_("工作地点"), lambda r: str(r.region), sort="region_id"),
        Column(_("工作内容"), lambda r: r.content),
    ],
    new=("assistance:worklog_new", "assistance.add_worklog"),
    **SHARED,
)

PLACES = ListSpec(
    name="assistance.place",
    url="assistance:place",
    title=_("定点帮扶"),
    filters=forms.QueryForm,
    rows=lambda user, f: selectors.assisted_place_list(
        user=user, division=f.get("division", ""), q=f.get("q", "")
    ),
    columns=[
        Column(_("帮扶单位"), lambda r: r.unit.name, sort="unit__name"),
        Column(_("帮扶地区"), lambda r: str(r.region)),
        Column(_("区划代码"), lambda r: r.region_id, sort="region_id"),
        Column(_("开始日期"), lambda r: r.since, DATE, sort="since"),
        _until(_("结束日期"), "until", "until"),
    ],
    actions=lambda r, user: [
        (_("帮扶活动"), reverse("assistance:activity_list") + f"?division={r.region_id}"),
        (_("培训"), reverse("assistance:training_list") + f"?division={r.region_id}"),
    ],
    **SHARED,
)

ACTIVITIES = ListSpec(
    name="assistance.activity",
    url="assistance:activity",
    title=_("帮扶活动"),
    filters=forms.ActivityQueryForm,
    rows=lambda user, f: selectors.activity_list(
        user=user, division=f.get("division", ""), kind=f.get("kind", ""), year=f.get("year")
    ),
    columns=[
        Column(_("活动日期"), lambda r: r.held_on, DATE, sort="held_on"),
        Column(_("活动类型"), lambda r: r.get_kind_display(), sort="kind"),
        Column(_("活动名称"), lambda r: r.title),
        Column(_("帮扶单位"), lambda r: str(r.unit or "")),
        Column(_("活动地点"), lambda r: str(r.region)),
        Column(_("捐赠物品"), lambda r: r.items),
        Column(_("折价(元)"), lambda r: r.value, MONEY, sort="value"),
        Column(_("参加人数"), lambda r: r.participants, INT, sort="participants"),
    ],
    new=("assistance:activity_new", "assistance.add_activity"),
    **SHARED,
)

TEAMS = ListSpec(
    name="assistance.team",
    url="assistance:team",
    title=_("驻村工作队"),
    filters=forms.TeamQueryForm,
    rows=lambda user, f: selectors.team_list(
        user=user, division=f.get("division", ""), status=f.get("status", "")
    ),
    columns=[
        Column(_("工作队名称"), lambda r: r.name, sort="name"),
        Column(_("派出单位"), lambda r: str(r.unit)),
        Column(_("驻村"), lambda r: str(r.village), sort="village_id"),
        Column(_("在岗人数"), lambda r: r.members, INT, html=_team_size),
        Column(_("开始日期"), lambda r: r.start, DATE, sort="start"),
        Column(_("结束日期"), lambda r: r.end, DATE, sort="end"),
        Column(_("状态"), lambda r: r.get_status_display(), html=_status, sort="status"),
    ],
    new=("assistance:team_new", "assistance.add_workteam"),
    actions=lambda r, user: (
        [(_("查看"), reverse("assistance:team_detail", args=[r.pk]))]
        + _edit(user, "assistance.change_workteam", "assistance:team_edit", r)
    ),
    notes=[_("驻村工作队至少3人;不足3人的工作队不能进驻。")],
    **SHARED,
)

POSTINGS = ListSpec(
    name="assistance.posting",
    url="assistance:posting",
    title=_("选派干部"),
    filters=forms.PostingQueryForm,
    rows=lambda user, f: selectors.posting_list(
        user=user,
        division=f.get("division", ""),
        kind=f.get("kind", ""),
        active=_active(f),
        q=f.get("q", ""),
    ),
    columns=[
        Column(_("姓名"), lambda r: r.cadre.name, sort="cadre__name"),
        Column(_("派出单位"), lambda r: str(r.cadre.unit or "")),
        Column(_("选派类型"), lambda r: r.get_kind_display(), sort="kind"),
        Column(_("派驻地"), lambda r: str(r.region), sort="region_id"),
        Column(_("工作队"), lambda r: str(r.team or "")),
        Column(_("挂职/驻村职务"), lambda r: r.post_title),
        Column(_("开始日期"), lambda r: r.start, DATE, sort="start"),
        Column(_("结束日期"), lambda r: r.end, DATE, sort="end"),
    ],
    new=("assistance:posting_new", "assistance.add_posting"),
    actions=lambda r, user: (
        [(_("结束任期"), reverse("assistance:posting_end", args=[r.pk]))]
        if r.end is None and user.has_perm("assistance.change_posting")
        else []
    ),
    **SHARED,
)

MEASURES = ListSpec(
    name="assistance.measure",
    url="assistance:measure",
    title=_("一户一策"),
    filters=forms.MeasureQueryForm,
    rows=lambda user, f: selectors.measure_list(
        user=user, division=f.get("division", ""), type=f.get("type", ""), status=f.get("status", "")
    ),
    columns=[
        _household("plan__household"),
        Column(_("行政村"), lambda r: str(r.plan.household.village)),
        Column(_("措施类型"), lambda r: r.get_type_display(), sort="type"),
        Column(_("措施内容"), lambda r: r.content),
        Column(_("责任人"), lambda r: str(r.cadre or "")),
        Column(_("计划完成日期"), lambda r: r.due, DATE, sort="due"),
        Column(_("投入资金(元)"), lambda r: r.amount, MONEY, sort="amount"),
        Column(_("状态"), lambda r: r.get_status_display(), html=_status, sort="status"),
        Column(_("成效"), lambda r: r.result),
    ],
    new=("assistance:measure_new", "assistance.add_measure"),
    actions=lambda r, user: [(_("办理"), reverse("assistance:plan_detail", args=[r.plan.household_id]))],
    **SHARED,
)

TRAININGS = ListSpec(
    name="assistance.training",
    url="assistance:training",
    title=_("培训班"),
    filters=forms.TrainingQueryForm,
    rows=lambda user, f: selectors.training_list(
        user=user, division=f.get("division", ""), kind=f.get("kind", ""), year=f.get("year")
    ),
    columns=[
        Column(_("培训主题"), lambda r: r.topic),
        Column(_("培训形式"), lambda r: r.get_form_display()),
        Column(_("培训对象"), lambda r: r.get_kind_display(), sort="kind"),
        Column(_("开始日期"), lambda r: r.start, DATE, sort="start"),
        Column(_("结束日期"), lambda r: r.end, DATE, sort="end"),
        Column(_("培训地点"), lambda r: r.place),
        Column(_("主办单位"), lambda r: str(r.organiser)),
        Column(_("培训地区"), lambda r: str(r.region)),
        Column(_("学时"), lambda r: r.hours, DECIMAL, sort="hours"),
        Column(_("培训人次"), lambda r: r.person_times or 0, INT),
    ],
    new=("assistance:training_new", "assistance.add_trainingclass"),
    actions=lambda r, user: (
        [(_("查看"), reverse("assistance:training_detail", args=[r.pk]))]
        + _edit(user, "assistance.change_trainingclass", "assistance:training_edit", r)
    ),
    **SHARED,
)


def _place(region) -> str:
    return str(region) if region else ""


# The header of the summary's rows, by the length of their codes.
LEVEL_NAMES = {2: _("省"), 4: _("市"), 6: _("县"), 9: _("乡镇"), 12: _("行政村")}


def _coverage_rows_of(user, division: str | None) -> list[dict]:
    """Poor and covered villages of each division one level below `division` (None: each root of
    the user's scope) that has a poor village, from the rollup: one read of each figure."""
    poor = reports.breakdown(user, "assistance.poor_villages", division=division)
    covered = {
        p.code: p.value for p in reports.breakdown(user, "assistance.covered_villages", division=division)
    }
    return [
        {"code": p.code, "name": p.name, "villages": int(p.value), "covered": int(covered.get(p.code) or 0)}
        for p in poor
        if p.value
    ]


def _coverage_of(user, division: str) -> dict:
    """The division's own row (a county's or smaller area's line above its townships)."""

    def value(code):
        return int(reports.figure(user, code, division=division) or 0)

    name = Region.objects.filter(code=division).values_list("name", flat=True).first()
    return {
        "code": division,
        "name": name or division,
        "villages": value("assistance.poor_villages"),
        "covered": value("assistance.covered_villages"),
    }


def _coverage_summary(user, query) -> dict:
    """The totals above the village rows, read from the rollup (reports.selectors): the divisions
    one level below the area, each a link that narrows the page to it (a national viewer gets 31
    provinces, not the 2,800 counties of a grouping over every poor village's households); a
    county shows its own line and its townships."""
    if not query.valid:
        return {"report": None}
    division = query.filters.get("division") or scope_root(user) or None
    if division is not None and len(division) >= 6:
        groups, townships = [_coverage_of(user, division)], []
        if len(division) == 6:
            townships = _coverage_rows_of(user, division)
        level = LEVEL_NAMES.get(len(division))
    else:
        groups, townships = _coverage_rows_of(user, division), []
        level = LEVEL_NAMES.get(len(groups[0]["code"])) if groups else LEVEL_NAMES[6]
    report = {
        "level": level,
        "groups": groups,
        "townships": townships,
        "villages": sum(g["villages"] for g in groups),
        "covered": sum(g["covered"] for g in groups),
        "above_county": division is None or len(division) < 6,
    }
    refreshed = reports.last_refresh()
    return {
        "report": report,
        "by_township": bool(division) and len(division) == 6,
        "refreshed_at": refreshed.started_at if refreshed else None,
    }


COVERAGE = ListSpec(
    name="assistance.coverage",
    url="assistance:coverage",
    title=_("第一书记覆盖情况"),
    filters=forms.CoverageQueryForm,
    rows=lambda user, f: _coverage_rows(user, f),
    columns=[
        Column(_("县"), lambda r: _place(r.parent and r.parent.parent)),
        Column(_("乡镇"), lambda r: _place(r.parent)),
        Column(_("行政村"), lambda r: str(r)),
        Column(
            _("区划代码"),
            lambda r: r.code,
            sort="code",
            html=lambda r: format_html("<code>{}</code>", r.code),
        ),
        Column(_("未脱贫户数"), lambda r: r.poor_households, INT, sort="poor_households"),
        Column(
            _("驻村第一书记"),
            lambda r: "、".join(r.secretaries),
            html=lambda r: "、".join(r.secretaries) or _tag(_("未选派"), "red"),
        ),
        Column(_("是否覆盖"), lambda r: bool(r.secretaries), BOOL),
    ],
    permission="assistance.view_posting",
    batch=selectors.add_first_secretaries,
    context=_coverage_summary,
    template="assistance/coverage.html",
    notes=[_("贫困村:有未脱贫户的行政村;覆盖:有在任的驻村第一书记。")],
    nav=SHARED["nav"],
    extra={**SHARED["extra"], "table_id": "coverage-villages"},
)

TRAINING_SUMMARY = ListSpec(
    name="assistance.training_summary",
    url="assistance:training_summary",
    title=_("培训人次统计"),
    filters=forms.TrainingQueryForm,
    rows=lambda user, f: selectors.training_summary(
        user=user, division=f.get("division", ""), kind=f.get("kind", ""), year=f.get("year")
    ),
    columns=[
        Column(_("年度"), lambda r: r["year"]),
        Column(_("培训地区"), lambda r: r["region"]),
        Column(_("主办单位"), lambda r: r["organiser"]),
        Column(_("学员类别"), lambda r: TRAINING_KINDS.get(r["kind"], r["kind"])),
        Column(_("培训班次"), lambda r: r["classes"], INT),
        Column(_("培训人次"), lambda r: r["person_times"], INT),
    ],
    permission="assistance.view_trainingclass",
    # The total of every group the filters chose, not of the page.
    context=lambda user, query: {"total": query.rows.aggregate(n=Sum("person_times"))["n"] or 0},
    template="assistance/training_summary.html",
    toolbar=lambda user, querystring: [(_("培训班"), reverse("assistance:training_list"))],
    nav=SHARED["nav"],
    extra=SHARED["extra"],
)

# URL segment of each list: /assistance/<route> and /assistance/<route>export/
ROUTES = {
    "cadres/": CADRES,
    "pairings/": PAIRINGS,
    "overdue/": OVERDUE,
    "visit-records/": VISITS,
    "worklogs/": WORKLOGS,
    "places/": PLACES,
    "activities/": ACTIVITIES,
    "teams/": TEAMS,
    "postings/": POSTINGS,
    "measures/": MEASURES,
    "trainings/": TRAININGS,
    "trainings/summary/": TRAINING_SUMMARY,
    "coverage/": COVERAGE,
}
URLS = [pattern for route, spec in ROUTES.items() for pattern in urls(spec, route)]
