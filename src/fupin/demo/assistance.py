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
from fupin.assistance.choices import PostKind, TeamStatus, TrainingForm, TrainingKind, UnitLevel
from fupin.assistance.models import (
    Activity,
    Cadre,
    Pairing,
    Posting,
    TeamEvent,
    TrainingAttendee,
    TrainingClass,
    Visit,
    WorkTeam,
)
from fupin.demo.registry import GANSU_COUNTIES
from fupin.orgs.models import AssistedPlace, Unit
from fupin.regions.models import Region
from fupin.registry.choices import Status
from fupin.registry.models import Household

D = datetime.date
MINZU, NINGQU = "632524203207", "632524101206"
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
        TeamEvent.objects.bulk_create(
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


def build_assistance() -> int:
    today = timezone.localdate()
    _place_dates()
    return _datang(today) + _gansu() + _gold() + _maoming()
