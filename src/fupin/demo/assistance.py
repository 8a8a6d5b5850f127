"""Demo data of the assistance app, from the seeds.

- 000 大唐青海: its cadres paired with households of 民族村 and 宁曲村, the 2019-09-05 visit and gifts
  of its 机关第一党支部 to 民族村, and the 2019-10-29 rotation class (10 village party members of
  兴海县's three village branches and 20 company party workers); first secretaries in 民族村 and 宁曲村.
- 001 甘肃: a first secretary in every poor village of the demo counties (the villages with
  households in demo/registry.py), and 挂职干部 in the county poverty offices.
- 003 中国黄金: three study tours and two special classes for 新蔡县 and 贞丰县, 386 person-times;
  its 挂职 deputy county heads 李东 and 卢赤坤.
- 004 茂名: the 20 省直中直 work teams of three (leader and first secretary plus two members).
- Visits for some paired households; the others are left unvisited so the overdue list shows.

Idempotent: every record is found by its natural key before it is made. Written straight to the
tables (by the system) so `fupin demo` stays a matter of seconds; the rules of the services (team
sizes, one first secretary per village) hold by construction and the tests check them.
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from fupin.accounts.models import User
from fupin.assistance import services
from fupin.assistance.choices import PostKind, TeamStatus, TrainingForm, TrainingKind, UnitLevel
from fupin.assistance.models import (
    Activity,
    Cadre,
    Measure,
    MeasureEvent,
    Pairing,
    Plan,
    Posting,
    TeamEvent,
    TrainingAttendee,
    TrainingClass,
    Visit,
    WorkLog,
    WorkTeam,
)
from fupin.demo.outcomes import split
from fupin.demo.registry import GANSU_COUNTIES
from fupin.demo.when import moment, restamp
from fupin.orgs.models import AssistedPlace, Unit
from fupin.regions.models import Region
from fupin.registry.choices import Status
from fupin.registry.generator import village_committees
from fupin.registry.models import Household

D = datetime.date
MINZU, NINGQU, QINGGENHE = "632524203207", "632524101206", "632524100202"
DATANG = "大唐青海能源开发有限公司"
GOLD = "中国黄金集团有限公司"
GANSU_ORG = "中共甘肃省委组织部"

# 大唐青海's 帮扶责任人 (the seed names none; these stand for its three head-office branches).
DATANG_CADRES = [
    ("马建军", "机关第一党支部书记"),
    ("李文华", "机关第一党支部委员"),
    ("张海燕", "机关第二党支部书记"),
    ("王志刚", "机关第二党支部委员"),
    ("赵永红", "机关第三党支部书记"),
    ("刘德明", "机关第三党支部委员"),
]
HOUSEHOLDS_PER_CADRE = 5
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "志强", "海燕", "文博", "玉兰", "永福", "红梅", "立新", "世杰", "晓东", "春花", "国庆")

# Seed 003: (topic, form, kind, start, end, place, county, hours, named attendees, counted others)
GOLD_CLASSES = [
    (
        "学习梁家河精神 交流考察学习班",
        TrainingForm.STUDY_TOUR,
        TrainingKind.OFFICIAL,
        D(2017, 9, 18),
        D(2017, 9, 22),
        "陕西延川县梁家河村、礼泉县袁家村",
        "522325",
        40,
        [("陈湘飚", "中共贞丰县委")],
        41,
    ),
    (
        "脱贫攻坚交流考察学习班",
        TrainingForm.STUDY_TOUR,
        TrainingKind.OFFICIAL,
        D(2017, 11, 6),
        D(2017, 11, 10),
        "陕西延川县梁家河村、礼泉县袁家村",
        "411729",
        40,
        [],
        45,
    ),
    (
        "扶贫领域作风建设交流考察学习班",
        TrainingForm.STUDY_TOUR,
        TrainingKind.GRASSROOTS_CADRE,
        D(2018, 4, 9),
        D(2018, 4, 13),
        "陕西延川县梁家河村",
        "522325",
        40,
        [("皮成伍", "珉谷街道党工委")],
        38,
    ),
    (
        "贫困村基层党组织负责人专题培训班",
        TrainingForm.SPECIAL_CLASS,
        TrainingKind.GRASSROOTS_CADRE,
        D(2018, 3, 12),
        D(2018, 3, 16),
        "新蔡县委党校",
        "411729",
        32,
        [],
        140,
    ),
    (
        "致富带头人和青年骨干移动讲堂",
        TrainingForm.MOBILE_LECTURE,
        TrainingKind.RICH_LEADER,
        D(2018, 5, 21),
        D(2018, 5, 23),
        "贞丰县各乡镇",
        "522325",
        16,
        [],
        120,
    ),
]

# Seed 004: the units the report names, with their villages where it names them; nine more teams
# come from units it does not name.
MAOMING_TEAMS = [
    ("广东省高级人民法院", "440981101207", ["李晓奋", "罗道叠", "容柏青"]),
    ("广州航海学院", "440904119209", None),
    ("广东省航运集团有限公司", "440902108204", None),
    ("广东体育职业技术学院", None, None),
    ("交通银行广东省分行", None, None),
    ("中华人民共和国广州海关", None, None),
    ("国家税务总局广东省税务局", None, None),
    ("工业和信息化部电子第五研究所", None, None),
    ("广东工贸职业技术学院", None, None),
    ("中国科学院广州分院", None, None),
    ("中华人民共和国广东海事局", None, None),
]
MAOMING_COUNTIES = ("440981", "440904", "440902")
MAOMING_TEAM_COUNT = 20
CHINESE_NUMBERS = "一二三四五六七八九十"


def _number(n: int) -> str:
    if n <= 10:
        return CHINESE_NUMBERS[n - 1]
    return (
        ("" if n < 20 else CHINESE_NUMBERS[n // 10 - 1])
        + "十"
        + (CHINESE_NUMBERS[n % 10 - 1] if n % 10 else "")
    )


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)]


def _cadre(name, *, unit, level, region, title="", user=None) -> Cadre:
    cadre, _made = Cadre.objects.get_or_create(
        name=name, unit=unit, region_id=region, defaults={"level": level, "title": title, "user": user}
    )
    return cadre


def _posting(cadre, kind, region, start, *, end=None, team=None, title="") -> Posting:
    posting, _made = Posting.objects.get_or_create(
        cadre=cadre,
        kind=kind,
        region_id=region,
        start=start,
        defaults={"end": end, "team": team, "post_title": title},
    )
    return posting


def _regions_present(codes) -> set[str]:
    return set(Region.objects.filter(code__in=list(codes)).values_list("code", flat=True))


# --- seed 000 -------------------------------------------------------------------------------------


def _datang(today) -> int:
    unit = Unit.objects.filter(name=DATANG).first()
    if unit is None or not _regions_present([MINZU, NINGQU]):
        return 0
    made = 0
    # Half of the cadres help households of 民族村, half of 宁曲村 (poor or exited ones).
    half = len(DATANG_CADRES) // 2 * HOUSEHOLDS_PER_CADRE
    households = [
        pk
        for code in (MINZU, NINGQU)
        for pk in Household.objects.filter(village_id=code, status__in=[Status.POOR, Status.EXITED])
        .order_by("number")
        .values_list("pk", flat=True)[:half]
    ]
    for i, (name, title) in enumerate(DATANG_CADRES):
        cadre = _cadre(
            name, unit=unit, level=UnitLevel.CENTRAL, region=MINZU if i < 3 else NINGQU, title=title
        )
        for household_id in households[i * HOUSEHOLDS_PER_CADRE : (i + 1) * HOUSEHOLDS_PER_CADRE]:
            _pairing, created = Pairing.objects.get_or_create(
                cadre=cadre, household_id=household_id, end=None, defaults={"start": D(2019, 9, 5)}
            )
            made += created
    # The village's own party secretary (demo account cadre_minzu) helps households of 民族村 too.
    user = User.objects.filter(username="cadre_minzu").first()
    if user is not None:
        own = Cadre.objects.filter(user=user).first() or _cadre(
            user.full_name, unit=None, level=UnitLevel.VILLAGE, region=MINZU, title=user.title, user=user
        )
        for household_id in (
            Household.objects.filter(village_id=MINZU).order_by("-number").values_list("pk", flat=True)[:8]
        ):
            made += Pairing.objects.get_or_create(
                cadre=own, household_id=household_id, end=None, defaults={"start": D(2020, 3, 1)}
            )[1]
    # First secretaries sent by 大唐青海 to two of the three villages it assists (青根河村 shows as a gap).
    for code, name in ((MINZU, "索南扎西"), (NINGQU, "韩永强")):
        fs = _cadre(name, unit=unit, level=UnitLevel.CENTRAL, region=code, title="驻村第一书记")
        _posting(fs, PostKind.FIRST_SECRETARY, code, D(2021, 6, 1), title="驻村第一书记")
    made += _datang_activities(unit)
    made += _datang_training(unit)
    made += _visits(unit, today)
    return made


def _datang_activities(unit) -> int:
    rows = [
        (
            "visit",
            "机关第一党支部走访民族村",
            D(2019, 9, 5),
            "走访异地搬迁安置点、游牧定居点、村党员活动室、文化广场、洗车行项目和学前教育走教点",
            "",
            8,
        ),
        (
            "donation",
            "向民族村党支部赠送党建物品",
            D(2019, 9, 5),
            "支部结对子,手拉手共建",
            "国旗、党旗、党徽及党建书籍",
            8,
        ),
        (
            "joint_event",
            "党员活动室改造计划共商会",
            D(2019, 10, 15),
            "讨论党员活动室改造计划和扶贫资金投资事宜",
            "",
            12,
        ),
        (
            "lecture",
            "党的理论知识面对面授课",
            D(2019, 11, 6),
            "讲授党的理论知识、社会主义核心价值观和民族团结进步",
            "",
            35,
        ),
    ]
    made = 0
    for kind, title, held_on, text, items, people in rows:
        made += Activity.objects.get_or_create(
            title=title,
            held_on=held_on,
            defaults={
                "kind": kind,
                "region_id": MINZU,
                "unit": unit,
                "description": text,
                "items": items,
                "participants": people,
            },
        )[1]
    return made


def _datang_training(unit) -> int:
    training, created = TrainingClass.objects.get_or_create(
        topic="2019年度党组织书记和党务干部轮训班",
        organiser=unit,
        start=D(2019, 10, 29),
        defaults={
            "form": TrainingForm.ROTATION,
            "kind": TrainingKind.PARTY_MEMBER,
            "end": D(2019, 10, 29),
            "place": "大唐青海能源开发有限公司",
            "region_id": "632524",
            "hours": 8,
        },
    )
    if created:
        TrainingAttendee.objects.bulk_create(
            [
                TrainingAttendee(
                    training=training,
                    kind=TrainingKind.PARTY_MEMBER,
                    unit_name="兴海县民族村、宁曲村、青根河村党支部",
                    count=10,
                ),
                TrainingAttendee(training=training, kind=TrainingKind.UNIT_STAFF, unit_name=DATANG, count=20),
            ]
        )
    return int(created)


def _visits(unit, today) -> int:
    """Recent visits for the first three households of each cadre; the rest stay unvisited (flagged)."""
    made = 0
    pairings = (
        Pairing.objects.filter(cadre__unit=unit, end__isnull=True).select_related("cadre").order_by("id")
    )
    for i, pairing in enumerate(pairings):
        if i % HOUSEHOLDS_PER_CADRE >= 3:
            continue
        made += Visit.objects.get_or_create(
            household_id=pairing.household_id,
            cadre=pairing.cadre,
            visited_on=today - datetime.timedelta(days=3 + i % 20),
            defaults={
                "people_met": "户主及家人",
                "notes": "了解家庭收入和务工情况,宣讲产业扶持政策",
                "issues": "住房需维修" if i % 4 == 0 else "",
            },
        )[1]
    return made


# --- seed 001 ------------------------------------------------------------------------------------


def _gansu() -> int:
    organiser = Unit.objects.filter(name=GANSU_ORG).first()
    if organiser is None:
        return 0
    in_gansu = Q(pk__in=[])
    for county in GANSU_COUNTIES:
        in_gansu |= Q(village__code__startswith=county)
    poor_villages = (
        Household.objects.filter(in_gansu, status=Status.POOR)
        .order_by()
        .values_list("village_id", flat=True)
        .distinct()
    )
    made = 0
    levels = (UnitLevel.PROVINCE, UnitLevel.CITY, UnitLevel.COUNTY)
    for i, code in enumerate(sorted(poor_villages)):
        if Posting.objects.filter(kind=PostKind.FIRST_SECRETARY, region_id=code, end__isnull=True).exists():
            continue
        cadre = _cadre(
            _name(i + 7), unit=organiser, level=levels[i % 3], region=code, title="驻村第一书记兼工作队队长"
        )
        _posting(cadre, PostKind.FIRST_SECRETARY, code, D(2019, 3, 1), title="驻村第一书记兼工作队队长")
        made += 1
    # 挂职: province cadres in county poverty offices (seed 001: 133 in all; one per demo county here).
    for j, county in enumerate(sorted(_regions_present(GANSU_COUNTIES))):
        cadre = _cadre(
            _name(j + 90), unit=organiser, level=UnitLevel.PROVINCE, region=county, title="挂职干部"
        )
        _posting(
            cadre, PostKind.SECONDED, county, D(2018, 7, 1), end=D(2020, 6, 30), title="县扶贫办副主任(挂职)"
        )
    return made


# --- seed 003 ------------------------------------------------------------------------------------


def _gold() -> int:
    unit = Unit.objects.filter(name=GOLD).first()
    if unit is None or not _regions_present(["411729", "522325"]):
        return 0
    made = 0
    for topic, form, kind, start, end, place, county, hours, named, others in GOLD_CLASSES:
        training, created = TrainingClass.objects.get_or_create(
            topic=topic,
            organiser=unit,
            start=start,
            defaults={
                "form": form,
                "kind": kind,
                "end": end,
                "place": place,
                "region_id": county,
                "hours": hours,
            },
        )
        if created:
            rows = [TrainingAttendee(training=training, kind=kind, name=n, unit_name=u) for n, u in named]
            rows.append(TrainingAttendee(training=training, kind=kind, count=others))
            TrainingAttendee.objects.bulk_create(rows)
            made += 1
    for name, county in (("李东", "411729"), ("卢赤坤", "522325")):
        cadre = _cadre(
            name, unit=unit, level=UnitLevel.CENTRAL, region=county, title="县委常委、副县长(挂职)"
        )
        _posting(cadre, PostKind.SECONDED, county, D(2017, 3, 1), title="县委常委、副县长")
    return made


# --- seed 004 ------------------------------------------------------------------------------------


def _maoming_villages(taken: set[str], count: int) -> list[str]:
    villages = []
    for county in MAOMING_COUNTIES:
        villages += list(
            Region.objects.filter(code__startswith=county, level=Region.Level.VILLAGE)
            .exclude(code__in=taken)
            .order_by("code")
            .values_list("code", flat=True)[:count]
        )
    return villages[:count]


def _maoming() -> int:
    if not _regions_present(["440981101207"]):
        return 0
    start, end = D(2016, 5, 1), D(2019, 4, 30)
    plan = []
    for unit_name, village, names in MAOMING_TEAMS:
        plan.append((Unit.objects.filter(name=unit_name).first(), village, names))
    for n in range(len(MAOMING_TEAMS) + 1, MAOMING_TEAM_COUNT + 1):
        # The report counts twenty teams but names only the units above.
        unit, _made = Unit.objects.get_or_create(
            name=f"省直中直驻茂名扶贫单位(第{_number(n)}队)",
            defaults={"kind": Unit.Kind.AGENCY, "region_id": "4401"},
        )
        plan.append((unit, None, None))
    taken = {v for _u, v, _n in plan if v}
    spare = iter(_maoming_villages(taken, MAOMING_TEAM_COUNT))
    made = 0
    for i, (unit, village, names) in enumerate(plan):
        if unit is None:
            continue
        village = village or next(spare)
        team, created = WorkTeam.objects.get_or_create(
            unit=unit,
            village_id=village,
            defaults={"name": f"{unit.short_name or unit.name}驻村工作队", "start": start},
        )
        if not created:
            continue
        made += 1
        names = names or [_name(200 + i * 3 + k) for k in range(3)]
        for k, name in enumerate(names):
            cadre = _cadre(
                name,
                unit=unit,
                level=UnitLevel.PROVINCE,
                region=village,
                title="工作队队长兼第一书记" if k == 0 else "工作队员",
            )
            kind = PostKind.FIRST_SECRETARY if k == 0 else PostKind.TEAM_MEMBER
            _posting(cadre, kind, village, start, end=end, team=team, title=cadre.title)
        team.status, team.end = TeamStatus.ENDED, end
        team.save(update_fields=["status", "end"])
        events = TeamEvent.objects.bulk_create(
            [
                TeamEvent(team=team, from_status="", to_status=TeamStatus.FORMING, reason="组建"),
                TeamEvent(
                    team=team,
                    from_status=TeamStatus.FORMING,
                    to_status=TeamStatus.ACTIVE,
                    reason="3名队员到岗进驻",
                ),
                TeamEvent(
                    team=team,
                    from_status=TeamStatus.ACTIVE,
                    to_status=TeamStatus.ENDED,
                    reason="三年攻坚任期届满",
                ),
            ]
        )
        # Formed a fortnight before taking up the post on `start`; ended on `end`.
        days = (start - datetime.timedelta(days=14), start, end)
        restamp(TeamEvent, [(e, moment(d)) for e, d in zip(events, days, strict=True)])
    # 挂职 in 高州市: two of the team units' cadres held county posts beside their village work.
    for unit_name, name in (("广州航海学院", "陈立新"), ("广东省航运集团有限公司", "黄志强")):
        unit = Unit.objects.filter(name=unit_name).first()
        if unit:
            cadre = _cadre(name, unit=unit, level=UnitLevel.PROVINCE, region="440981", title="挂职干部")
            _posting(cadre, PostKind.SECONDED, "440981", start, end=end, title="高州市扶贫办副主任(挂职)")
    return made


def team_sizes_ok() -> bool:
    """Every demo team that took up its post had at least three members (checked by the demo tests)."""
    small = (
        WorkTeam.objects.exclude(status=TeamStatus.FORMING)
        .annotate(n=Count("postings"))
        .filter(n__lt=WorkTeam.MIN_MEMBERS)
    )
    return not small.exists()


# 定点帮扶 start dates the seeds give: 大唐青海's first visit (2019-09-05), 中国黄金 "自2017年以来".
PLACE_SINCE = {DATANG: D(2019, 9, 5), GOLD: D(2017, 1, 1)}


def _place_dates() -> None:
    for unit_name, since in PLACE_SINCE.items():
        AssistedPlace.objects.filter(unit__name=unit_name, since__isnull=True).update(since=since)


# --- seed 000: 兴海县's work teams, 一户一策 and work logs -------------------------------------------

# The first secretaries' fellow team members (the seed names none; invented).
XINGHAI_TEAMS = [
    (MINZU, "大唐青海公司驻民族村工作队", "索南扎西", ["王海东", "李明轩"]),
    (NINGQU, "大唐青海公司驻宁曲村工作队", "韩永强", ["赵建华", "马晓宁"]),
]
TEAM_START = D(2021, 6, 1)
# Measures by main cause of poverty: (type, content, amount yuan or None, result).
MEASURES = {
    "illness": (
        "health",
        "落实家庭医生签约和大病救治,慢性病送药上门",
        None,
        "大病报销比例达到90%,慢性病按时服药",
    ),
    "disability": ("safety_net", "落实残疾人两项补贴,纳入低保", None, "补贴和低保按月发放"),
    "schooling": ("education", "落实雨露计划和教育资助,保障子女就学", "3000.00", "子女在校就读,无辍学"),
    "no_labour": (
        "safety_net",
        "纳入农村低保,设置生态管护公益岗位",
        None,
        "低保按月发放,公益岗位年收入1万元",
    ),
}
DEFAULT_MEASURE = (
    "industry",
    "扶持发展牦牛、藏羊养殖,入股村级合作社分红",
    "5000.00",
    "养殖规模扩大,合作社年度分红到户",
)
SECOND_MEASURE = (
    "employment",
    "推荐到县内企业和项目工地务工,参加技能培训",
    None,
    "家庭1人稳定务工,年收入增加1.5万元",
)
WORKLOG_TEXTS = [
    "入户走访脱贫户,核实务工收入和产业发展情况,填写帮扶手册",
    "召开村两委和工作队联席会,研究防返贫监测对象帮扶措施",
    "到定居点查看饮水管网冬季运行情况,协调乡水利站维修",
    "组织党员开展主题党日,学习党章,清理村道垃圾",
    "核对一户一策措施落实台账,更新产业帮扶进度",
    "陪同大唐青海公司调研组查看走教点和党员活动室",
]


def _xinghai_teams(unit) -> int:
    """大唐青海's work teams in 民族村 and 宁曲村: the first secretary and two members since mid-2021."""
    made = 0
    for village, name, leader, members in XINGHAI_TEAMS:
        if WorkTeam.objects.filter(unit=unit, village_id=village).exists():
            continue
        formed = TEAM_START - datetime.timedelta(days=14)
        team = services.team_create(
            by=None, name=name, unit=unit, village=village, start=TEAM_START, at=moment(formed)
        )
        Posting.objects.filter(
            cadre__name=leader, cadre__unit=unit, kind=PostKind.FIRST_SECRETARY, region_id=village
        ).update(team=team)
        for member in members:
            cadre = _cadre(member, unit=unit, level=UnitLevel.PROVINCE, region=village, title="工作队员")
            services.posting_create(
                by=None, cadre=cadre, kind=PostKind.TEAM_MEMBER, region=village, start=TEAM_START, team=team,
                post_title="驻村工作队员",
            )  # fmt: skip
        services.team_transition(
            by=None, team=team, to=TeamStatus.ACTIVE, version=team.version, reason="3名队员到岗进驻",
            on=TEAM_START, at=moment(TEAM_START),
        )  # fmt: skip
        made += 1
    return made


def _xinghai_plans(unit) -> int:
    """一户一策 for the households 大唐青海's cadres and 才让东智 help, and for every household of the three
    villages still poor or returned to poverty: made in October 2019 after the pairing began, carried
    out (done for the households that exited), the latest measures still under way."""
    villages = (MINZU, NINGQU, QINGGENHE)
    paired = Pairing.objects.filter(household__village_id__in=villages, end__isnull=True).select_related(
        "cadre"
    )
    helper = {p.household_id: p.cadre for p in paired}
    households = list(
        Household.objects.filter(
            Q(pk__in=helper) | Q(village_id__in=villages, status__in=[Status.POOR, Status.RETURNED])
        ).exclude(pk__in=Plan.objects.values("household_id"))
    )
    if not households:
        return 0
    made_on, started_on, done_on = D(2019, 10, 10), D(2019, 11, 1), D(2020, 10, 30)
    plans = Plan.objects.bulk_create(
        [Plan(household=h, summary="因户施策:稳定收入来源,补齐两不愁三保障短板") for h in households]
    )
    measures, steps = [], []  # steps: (measure index, from, to, day, reason)
    for plan, household in zip(plans, households, strict=True):
        kinds = [MEASURES.get(household.main_cause, DEFAULT_MEASURE)]
        if household.pk in helper:
            kinds.append(SECOND_MEASURE)
        out = household.status == Status.EXITED
        for kind, content, amount, result in kinds:
            index = len(measures)
            status = "done" if out else "active"
            measures.append(
                Measure(
                    plan=plan, type=kind, content=content, cadre=helper.get(household.pk),
                    due=D(2020, 10, 31) if out else D(timezone.localdate().year, 12, 31),
                    amount=amount, status=status, result=result if out else "",
                )
            )  # fmt: skip
            steps.append((index, "", "planned", made_on, "制定"))
            steps.append((index, "planned", "active", started_on, "开始实施"))
            if out:
                steps.append((index, "active", "done", done_on, "措施落实,达到预期"))
    measures = Measure.objects.bulk_create(measures)
    events = MeasureEvent.objects.bulk_create(
        [MeasureEvent(measure=measures[i], from_status=a, to_status=b, reason=r) for i, a, b, _d, r in steps]
    )
    restamp(MeasureEvent, [(e, moment(step[3])) for e, step in zip(events, steps, strict=True)])
    return len(plans)


def _xinghai_worklogs(unit, today) -> int:
    """Two entries a week over the last two months by each first secretary, one a week by 才让东智."""
    if WorkLog.objects.filter(region_id__in=[MINZU, NINGQU]).exists():
        return 0
    user = User.objects.filter(username="cadre_minzu").first()
    own = Cadre.objects.filter(user=user).first() if user else None
    writers = [
        (Cadre.objects.filter(name=leader, unit=unit).first(), None, village, (2, 5))
        for village, _team, leader, _m in XINGHAI_TEAMS
    ] + [(own, user, MINZU, (1,))]
    logs = []
    for cadre, author, village, weekdays in writers:
        if cadre is None:
            continue
        for week in range(8, 0, -1):
            monday = today - datetime.timedelta(days=today.weekday() + 7 * week)
            for k, weekday in enumerate(weekdays):
                logs.append(
                    WorkLog(
                        author=author, cadre=cadre, region_id=village, logged_on=monday + datetime.timedelta(days=weekday),
                        content=WORKLOG_TEXTS[(week + k + len(logs)) % len(WORKLOG_TEXTS)],
                    )
                )  # fmt: skip
    WorkLog.objects.bulk_create(logs)
    return len(logs)


def _xinghai_training(unit) -> int:
    """2020 classes in 兴海县 for village cadres and herders (the 责任书 counts both)."""
    rows = [
        ("兴海县村两委干部能力提升培训班", TrainingKind.GRASSROOTS_CADRE, D(2020, 6, 16), D(2020, 6, 18), 24,
         [("民族村两委干部", 12), ("宁曲村两委干部", 12), ("青根河村两委干部", 12)]),
        ("牦牛藏羊科学养殖实用技术培训班", TrainingKind.TECHNICIAN, D(2020, 8, 11), D(2020, 8, 12), 16,
         [("民族村牧民技术员", 16), ("宁曲村牧民技术员", 15), ("青根河村牧民技术员", 14)]),
    ]  # fmt: skip
    made = 0
    for topic, kind, start, end, hours, groups in rows:
        training, created = TrainingClass.objects.get_or_create(
            topic=topic, organiser=unit, start=start,
            defaults={"form": TrainingForm.SPECIAL_CLASS, "kind": kind, "end": end, "place": "兴海县委党校",
                      "region_id": "632524", "hours": hours},
        )  # fmt: skip
        if created:
            TrainingAttendee.objects.bulk_create(
                [TrainingAttendee(training=training, kind=kind, unit_name=u, count=n) for u, n in groups]
            )
            made += 1
    return made


# --- seed 002: 国家能源集团's classes and dispatched cadres -------------------------------------------

CHN_ENERGY = "国家能源投资集团有限责任公司"
CHN_COUNTIES = ("540623", "632726", "632224", "513428", "513429", "140623", "150429", "610827", "610829")
LIANGSHAN = ("513428", "513429")  # 普格, 布拖: the two 挂牌督战 counties
# Per year: (cadre classes, cadres trained, technician classes, technicians trained). The seed gives
# the sums only (110余期, 4,198 cadres, 6,828 technicians); the yearly split is chosen.
CHN_TRAINING = {
    2016: (10, 598, 8, 1000),
    2017: (10, 700, 10, 1200),
    2018: (10, 850, 14, 1400),
    2019: (10, 950, 16, 1528),
    2020: (10, 1100, 16, 1700),
}
CHN_SKILLS = {
    "540623": "牦牛养殖", "632726": "生态畜牧", "632224": "青稞种植", "513428": "草莓和柑橘种植",
    "513429": "马铃薯种植", "140623": "小杂粮种植和电商", "150429": "设施蔬菜种植", "610827": "小米种植",
    "610829": "红枣和挂面加工",
}  # fmt: skip


def chn_training_plan() -> list[dict]:
    """114 classes over 2016—2020: topic, kind, county, start, and attendees per township."""
    rows = []
    for year, (cadre_classes, cadres, tech_classes, techs) in CHN_TRAINING.items():
        for kind, classes, people in (
            (TrainingKind.GRASSROOTS_CADRE, cadre_classes, cadres),
            (TrainingKind.TECHNICIAN, tech_classes, techs),
        ):
            for i, count in enumerate(split(people, [1] * classes)):
                county = CHN_COUNTIES[(i + year) % len(CHN_COUNTIES)]
                if kind == TrainingKind.GRASSROOTS_CADRE:
                    topic = "乡村干部脱贫攻坚能力提升培训班" if i % 2 else "村党组织书记和致富带头人培训班"
                    if year == 2019 and i == 0:
                        topic = "贫困县干部“两山”理论研讨班"
                else:
                    topic = f"{CHN_SKILLS[county]}实用技术培训班"
                start = D(year, 3 + i % 9, 5 + (i * 3) % 20)
                rows.append({"topic": f"{topic}({year}年第{i + 1}期)", "kind": kind, "county": county,
                             "start": start, "count": count})  # fmt: skip
    return rows


def _chn_training(unit) -> int:
    if TrainingClass.objects.filter(organiser=unit).exists():
        return 0
    plan = chn_training_plan()
    townships = {}
    for county in CHN_COUNTIES:
        townships[county] = list(
            Region.objects.filter(parent_id=county).order_by("code").values_list("name", flat=True)[:3]
        )
    classes = TrainingClass.objects.bulk_create(
        [
            TrainingClass(
                topic=row["topic"], form=TrainingForm.SPECIAL_CLASS, kind=row["kind"], start=row["start"],
                end=row["start"] + datetime.timedelta(days=2), place="县委党校" if row["kind"] == "grassroots_cadre"
                else "县农业技术推广中心", region_id=row["county"], organiser=unit, hours=24,
            )
            for row in plan
        ]
    )  # fmt: skip
    # The seed counts people, not names: each class's attendees are counted by township.
    attendees = []
    for training, row in zip(classes, plan, strict=True):
        places = townships[row["county"]] or ["县直"]
        for place, count in zip(places, split(row["count"], [1] * len(places)), strict=True):
            label = "乡村干部" if row["kind"] == TrainingKind.GRASSROOTS_CADRE else "技术人员"
            attendees.append(
                TrainingAttendee(
                    training=training, kind=row["kind"], unit_name=f"{place}{label}", count=count
                )
            )
    TrainingAttendee.objects.bulk_create(attendees)
    return len(classes)


def chn_dispatch_plan(villages: dict[str, list[str]], townships: dict[str, list[str]]) -> list[tuple]:
    """55 dispatched cadres (seed 002): (name, kind, region, start, end, title). In every county a
    county-level 挂职 cadre and a first secretary in post (two terms each since 2016); in 凉山's two
    挂牌督战 counties cadres at county bureaus, townships and more villages; and the seed's named cadres:
    岳权 six years in 聂荣 (那曲), 胡小明 three years in a village, 李四方 the strawberry secretary of
    普格县城西村. Places and dates other than the seed's are chosen."""
    names = iter(
        s + g for g in ("建军", "海涛", "志刚", "文博", "立新", "国强", "晓东", "永明", "春雷", "振华")
        for s in "王李张刘陈杨赵黄周吴孙马朱胡郭何高林罗郑"
    )  # fmt: skip
    rows = []
    seconded = "县委常委、副县长(挂职)"
    for county in CHN_COUNTIES:
        first, second = villages[county][0], villages[county][1]
        if county == "540623":
            rows.append(("岳权", PostKind.SECONDED, county, D(2014, 7, 1), D(2020, 7, 1), seconded))
        else:
            rows.append((next(names), PostKind.SECONDED, county, D(2016, 7, 1), D(2018, 7, 1), seconded))
        rows.append((next(names), PostKind.SECONDED, county, D(2020, 7, 1) if county == "540623"
                     else D(2018, 7, 1), None, seconded))  # fmt: skip
        if county == "513428":  # 李四方 came to 城西村 in 2018 (the strawberries)
            village = CHENGXI
        elif county == "513429":
            village = BOZUO
        else:
            village = first
        rows.append(
            (next(names), PostKind.FIRST_SECRETARY, village, D(2016, 3, 1), D(2018, 3, 1), "驻村第一书记")
        )
        holder = {"513428": "李四方", "513429": "胡小明"}.get(county) or next(names)
        rows.append((holder, PostKind.FIRST_SECRETARY, village, D(2018, 3, 1), None, "驻村第一书记"))
        if county not in LIANGSHAN:
            if county in ("632726", "632224", "610827", "610829", "540623"):
                rows.append(
                    (next(names), PostKind.FIRST_SECRETARY, second, D(2018, 3, 1), None, "驻村第一书记")
                )
            continue
        for post in ("县教育局副局长(挂职)", "县农业农村局副局长(挂职)"):
            rows.append((next(names), PostKind.SECONDED, county, D(2020, 3, 1), None, post))
        for township in townships[county][:2]:
            rows.append((next(names), PostKind.SECONDED, township, D(2020, 3, 1), None, "副乡长(挂职)"))
        for village in [v for v in villages[county] if v not in (CHENGXI, BOZUO)][:3]:
            rows.append((next(names), PostKind.FIRST_SECRETARY, village, D(2020, 3, 1), None, "驻村第一书记"))
    return rows


CHENGXI, BOZUO = "513428101203", "513429102215"  # 普格县城西村, 布拖县博作村 (seed 002)


def _chn_dispatch(unit) -> int:
    if Posting.objects.filter(cadre__unit=unit).exists():
        return 0
    villages = {c: village_committees(c, 5) for c in CHN_COUNTIES}
    townships = {
        c: list(Region.objects.filter(parent_id=c).order_by("code").values_list("code", flat=True)[:2])
        for c in CHN_COUNTIES
    }
    made = 0
    for name, kind, region, start, end, title in chn_dispatch_plan(villages, townships):
        cadre = _cadre(name, unit=unit, level=UnitLevel.CENTRAL, region=region, title=title)
        _posting(cadre, kind, region, start, end=end, title=title)
        made += 1
    return made


def build_assistance() -> int:
    today = timezone.localdate()
    _place_dates()
    made = _datang(today) + _gansu() + _gold() + _maoming()
    datang = Unit.objects.filter(name=DATANG).first()
    if datang is not None and _regions_present([MINZU, NINGQU, QINGGENHE]):
        made += _xinghai_teams(datang) + _xinghai_plans(datang) + _xinghai_worklogs(datang, today)
        made += _xinghai_training(datang)
    chn = Unit.objects.filter(name=CHN_ENERGY).first()
    if chn is not None and _regions_present(CHN_COUNTIES) == set(CHN_COUNTIES):
        made += _chn_training(chn) + _chn_dispatch(chn)
    return made
