"""Demo data of the party app, from the seeds.

- Seed 000: 大唐青海's party committee and its three head-office branches, paired one to one with the
  branches of 民族村, 宁曲村 and 青根河村 of 兴海县 632524; the 5 September 2019 visit to 民族村 with the
  donated flags, party emblems and books; books donated by the other branches; the 29 October 2019
  training to which the three village branches sent 10 secretaries, committee members and members.
- Seed 001 (甘肃): village branches of 凤凰村 (secretary 蒋红珍) and 吊沟村 (老党员李永奎), an industry-chain
  branch and a 村企联合党总支, 徽县's village branches with their cadres' monthly scores (绩效月考评),
  a reserve pool, last year's standardisation scores (7 categories, 42 standards) and a weak branch.
- Seed 004: the 省直中直驻村临时党支部 of the 20 work teams in 茂名, founded 10 November 2016, approved by
  the city's organisation department, with its committee of three (李晓奋, 罗道叠, 容柏青).

Idempotent: every record is found by its natural key before it is made. People other than those the
seeds name are invented (names only).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from fupin.demo.when import moment, restamp
from fupin.orgs.models import Unit
from fupin.party import services
from fupin.party.defaults import GANSU_CHECKLIST, HUIXIAN_SET, load_defaults
from fupin.party.models import (
    BranchScore,
    CadreMonthScore,
    Checklist,
    IndicatorSet,
    Meeting,
    MemberEvent,
    Pairing,
    PairingActivity,
    PartyMember,
    PartyOrg,
    ReserveCadre,
    VillageCadre,
    WeakCase,
)
from fupin.regions.models import Region
from fupin.registry.generator import village_committees

D = datetime.date
DATANG = "大唐青海能源开发有限公司"
XINGHAI = [  # village code, branch name, secretary (民族村's is the demo account 才让东智)
    ("632524203207", "唐乃亥乡民族村党支部", "才让东智"),
    ("632524101206", "河卡镇宁曲村党支部", "旦正加"),
    ("632524100202", "兴海县青根河村党支部", "更登"),
]
COMPANY_BRANCHES = ["大唐青海公司机关第一党支部", "大唐青海公司机关第二党支部", "大唐青海公司机关第三党支部"]
XINGHAI_MEMBERS = ["拉毛", "扎西才让", "卓玛", "索南"]
GANSU_NAMES = ["王建军", "李红梅", "张永强", "刘玉兰", "陈志刚", "杨海燕", "赵文斌", "孙丽娟"]
TEMP_BRANCH = "茂名市新时期精准扶贫精准脱贫省直中直驻村临时党支部"


def _org(name: str, **fields) -> tuple[PartyOrg, int]:
    found = PartyOrg.objects.filter(name=name, parent=fields.get("parent")).first()
    if found is not None:
        return found, 0
    return services.org_create(by=None, name=name, **fields), 1


def _member(org: PartyOrg, name: str, **fields) -> int:
    if PartyMember.objects.filter(org=org, name=name).exists():
        return 0
    member = services.member_add(by=None, org=org, name=name, **fields)
    # The registration event records the member's stage date (`on`), so it is stamped with it.
    restamp(MemberEvent, [(event, moment(event.on)) for event in member.events.all()])
    return 1


def _full(joined: datetime.date, post: str = "member") -> dict:
    return {
        "post": post,
        "stage": "full",
        "joined_on": joined,
        "full_on": joined.replace(year=joined.year + 1),
    }


def _meeting(org: PartyOrg, kind: str, held_on: datetime.date, topic: str, **fields) -> int:
    if held_on > timezone.localdate() or Meeting.objects.filter(org=org, kind=kind, held_on=held_on).exists():
        return 0
    attendees = list(org.members.filter(status="active"))
    services.meeting_record(
        by=None, org=org, kind=kind, held_on=held_on, topic=topic, attendees=attendees, **fields
    )
    return 1


def _activity(pairing: Pairing, held_on: datetime.date, title: str, **fields) -> int:
    if PairingActivity.objects.filter(pairing=pairing, held_on=held_on, title=title).exists():
        return 0
    services.activity_add(by=None, pairing=pairing, held_on=held_on, title=title, **fields)
    return 1


def _monthly_life(org: PartyOrg, months: int) -> int:
    """Recent organisational life: a committee meeting and a 主题党日 each month, the quarterly
    members' meeting and party lesson, with one month left out so the calendar shows a miss."""
    today = timezone.localdate()
    made = 0
    for back in range(months, 0, -1):
        year, month = divmod(today.month - 1 - back, 12)
        first = D(today.year + year, month + 1, 1)
        if back == 2:
            continue  # a missed month: the calendar and the overdue list flag it
        made += _meeting(org, "committee", first.replace(day=5), "研究本月村级重点工作")
        made += _meeting(org, "theme_day", first.replace(day=15), "主题党日:学习党章、志愿服务")
        if first.month in (3, 6, 9, 12):
            made += _meeting(org, "members", first.replace(day=20), "支部党员大会:通报季度工作")
            made += _meeting(org, "lesson", first.replace(day=25), "书记讲党课:巩固拓展脱贫攻坚成果")
    return made


def _seed_000() -> int:
    made = 0
    datang = Unit.objects.get(name=DATANG)
    committee, n = _org(
        "中共大唐青海能源开发有限公司委员会", level="committee", kind="enterprise", unit=datang
    )
    made += n
    companies = []
    for name in COMPANY_BRANCHES:
        branch, n = _org(name, level="branch", kind="enterprise", unit=datang, parent=committee)
        companies.append(branch)
        made += n
    villages = []
    for code, name, secretary in XINGHAI:
        branch, n = _org(name, level="branch", kind="village", region_id=code, founded_on=D(1985, 7, 1))
        made += n
        made += _member(branch, secretary, **_full(D(2002, 7, 1), "secretary"))
        for i, person in enumerate(XINGHAI_MEMBERS):
            made += _member(
                branch, person, **_full(D(2005 + i * 3, 7, 1), "committee" if i == 0 else "member")
            )
        villages.append(branch)
    minzu = villages[0]
    made += _member(
        minzu,
        "才让卓玛",
        post="member",
        stage="activist",
        applied_on=D(2023, 3, 1),
        activist_on=D(2023, 9, 1),
    )
    made += _monthly_life(minzu, 6)
    for company, village in zip(companies, villages, strict=True):
        pairing = Pairing.objects.filter(helper=company, village_branch=village).first()
        if pairing is None:
            pairing = services.pairing_create(
                by=None,
                helper=company,
                village_branch=village,
                started_on=D(2019, 9, 5),
                note="支部手拉手结对子,一对一帮扶联建(《党建对口帮扶工作方案》)",
            )
            made += 1
        made += _activity(
            pairing,
            D(2019, 10, 29),
            "党组织书记和党务干部轮训",
            kind="training",
            participants=4 if village is minzu else 3,
            description="村支部书记、支委和党员与公司20多名专兼职党务工作者一同参加公司2019年度轮训",
        )
    first = Pairing.objects.get(helper=companies[0], village_branch=minzu)
    made += _activity(
        first,
        D(2019, 9, 5),
        "走访民族村",
        kind="visit",
        participants=5,
        description="走访异地搬迁安置点、游牧定居点、村党员活动室、文化广场、洗车行项目(集体经济)和学前教育走教点",
    )
    made += _activity(
        first,
        D(2019, 9, 5),
        "赠送国旗、党旗、党徽及党建书籍",
        kind="donation",
        donated_items="国旗、党旗、党徽、党建书籍",
    )
    for company, village in zip(companies[1:], villages[1:], strict=True):
        pairing = Pairing.objects.get(helper=company, village_branch=village)
        made += _activity(
            pairing,
            D(2019, 10, 15),
            "捐赠学习书籍,讨论党员活动室改造计划",
            kind="donation",
            donated_items="学习书籍",
        )
    return made


def _villages(county: str, count: int) -> list[Region]:
    """The county's first 村民委员会 (the demo's households live there too, demo/registry.py)."""
    return list(Region.objects.filter(code__in=village_committees(county, count)).order_by("code"))


def _branch_name(village: Region) -> str:
    short = village.short_name or village.name
    return f"{short if short.endswith('村') else short + '村'}党支部"


def _seed_001() -> int:
    made = 0
    today = timezone.localdate()
    branches = []
    fenghuang, n = _org(
        "城关镇凤凰村党支部",
        level="branch",
        kind="village",
        region_id="620821100206",
        founded_on=D(1980, 7, 1),
    )
    made += n
    made += _member(fenghuang, "蒋红珍", **_full(D(1996, 7, 1), "secretary"))
    made += _meeting(fenghuang, "theme_day", D(2018, 3, 7), "集体收看《新闻联播》,学习全国两会精神")
    diaogou, n = _org(
        "水洛镇吊沟村党支部",
        level="branch",
        kind="village",
        region_id="620825100216",
        founded_on=D(1982, 7, 1),
    )
    made += n
    made += _member(diaogou, "李永奎", **_full(D(1975, 7, 1)))
    made += _member(diaogou, GANSU_NAMES[0], **_full(D(2004, 7, 1), "secretary"))
    chain, n = _org(
        "庄浪县吊沟村苹果产业链党支部",
        level="branch",
        kind="industry",
        region_id="620825100216",
        founded_on=D(2017, 4, 1),
        note="党组织+国有龙头企业+专业合作社+贫困户(庄浪模式)",
    )
    made += n
    joint, n = _org(
        "泾川县城关镇村企联合党总支",
        level="general",
        kind="joint",
        region_id="620821100",
        founded_on=D(2018, 5, 1),
    )
    made += n
    branches += [fenghuang, diaogou, chain]
    huixian = _villages("621227", 3)
    indicator_set = IndicatorSet.objects.get(name=HUIXIAN_SET)
    for index, village in enumerate(huixian):
        branch, n = _org(
            _branch_name(village),
            level="branch",
            kind="village",
            region_id=village.code,
            founded_on=D(1983, 7, 1),
        )
        made += n
        branches.append(branch)
        if index < 2:  # the third village's secretary post is vacant: a weak branch below
            made += _member(branch, GANSU_NAMES[1 + index], **_full(D(2006, 7, 1), "secretary"))
        made += _member(branch, GANSU_NAMES[3 + index], **_full(D(2010, 7, 1)))
        for post, name in (("村党支部书记", GANSU_NAMES[1 + index]), ("村委会主任", GANSU_NAMES[5 + index])):
            cadre = VillageCadre.objects.filter(org=branch, name=name, post=post).first()
            if cadre is None:
                cadre = services.cadre_add(by=None, org=branch, name=name, post=post)
                made += 1
            for back in (3, 2, 1):
                year, month = divmod(today.month - 1 - back, 12)
                first = D(today.year + year, month + 1, 1)
                if CadreMonthScore.objects.filter(cadre=cadre, month=first).exists():
                    continue
                points = {
                    i.pk: i.max_points - Decimal((index + back + i.order) % 4)
                    for i in indicator_set.indicators.all()
                }
                services.cadre_score(
                    by=None, cadre=cadre, indicator_set=indicator_set, month=first, points=points
                )
                made += 1
        for j, name in enumerate(GANSU_NAMES[6 - index : 8 - index]):
            if not ReserveCadre.objects.filter(org=branch, name=name).exists():
                services.reserve_add(
                    by=None,
                    org=branch,
                    name=name,
                    sex="M" if j % 2 == 0 else "F",
                    birth_year=1988 + j + index,
                    education="college" if j == 0 else "senior",
                    is_party_member=j == 0,
                    current_work="致富带头人" if j == 0 else "合作社会计",
                    added_on=D(2019, 3, 1),
                )
                made += 1
    checklist = Checklist.objects.get(name=GANSU_CHECKLIST)  # Gansu's branches, Gansu's standard
    items = [i for c in checklist.categories.prefetch_related("items") for i in c.items.all()]
    for index, branch in enumerate(branches):
        if BranchScore.objects.filter(org=branch, year=today.year - 1).exists():
            continue
        points = {
            i.pk: i.max_points - (Decimal("0.5") if (i.order + index) % (index + 2) == 0 else 0)
            for i in items
        }
        satisfaction = Decimal(55) if branch == branches[-1] else Decimal(92 - index * 3)
        services.score_record(
            by=None,
            org=branch,
            checklist=checklist,
            year=today.year - 1,
            points=points,
            satisfaction=satisfaction,
        )
        made += 1
    weak = branches[-1]
    if not WeakCase.objects.filter(org=weak).exists():
        services.weak_identify(
            by=None,
            org=weak,
            year=today.year,
            criteria=["weak_leadership"],
            description="书记岗位空缺,组织生活不经常",
            at=moment(today - datetime.timedelta(days=40)),  # found at last month's review
        )
        made += 1
    return made


def _seed_004() -> int:
    court = Unit.objects.get(name="广东省高级人民法院")
    branch, made = _org(
        TEMP_BRANCH,
        level="branch",
        kind="temporary",
        region_id="4409",
        unit=court,
        founded_on=D(2016, 11, 10),
        approved_by="中共茂名市委组织部",
        note="茂名市20家省直中直驻村工作队的第一书记和队员组成;依据属地管理原则报茂名市委组织部审批",
    )
    for name, post in (("李晓奋", "secretary"), ("罗道叠", "organisation"), ("容柏青", "propaganda")):
        made += _member(branch, name, **_full(D(2000, 7, 1), post))
    made += _meeting(
        branch,
        "members",
        D(2016, 11, 10),
        "茂名市省直中直驻村党建扶贫工作交流座谈会",
        minutes="参会20人(支部3名党员及各驻村工作队队员)。在高州市镇江镇新芝泰农业科技有限公司会议室召开;交流半年扶贫和驻村党建工作,"
        "李晓奋介绍扶贫项目实施流程规定;提议成立临时党支部,全票选举李晓奋为支部书记、罗道叠为组织委员、容柏青为宣传委员。",
    )
    return made


def build_party() -> int:
    """Build the party demo; returns the number of records made (0 on a second run)."""
    made = load_defaults()
    made += _seed_000()
    if Region.objects.filter(code__in=["620821100206", "620825100216"]).count() == 2:
        made += _seed_001()
    if Region.objects.filter(code="4409").exists():
        made += _seed_004()
    made += _xinghai()
    made += _chn_pairings()
    return made


# --- seed 000: 兴海县's standardisation, weak branch, reserve pool and monthly scores --------------

# 兴海县 scores its branches against its own checklist (the 7 categories of the default, issued by the
# county), never against Gansu's; its monthly cadre scores use the county's own indicator set.
XINGHAI_CHECKLIST = ("兴海县农牧区党支部标准化建设考评表", "中共兴海县委组织部")
XINGHAI_INDICATORS = ("村干部绩效月考评指标(兴海县)", "中共兴海县委组织部")
XINGHAI_CADRES = {  # village code: [(post, name)]; the secretaries are the branch secretaries above
    "632524203207": [("村党支部书记", "才让东智"), ("村委会主任", "多杰加")],
    "632524101206": [("村党支部书记", "旦正加"), ("村委会主任", "南加才让")],
    "632524100202": [("村党支部书记", "更登"), ("村委会主任", "公保")],
}
XINGHAI_RESERVES = {
    "632524203207": [("才让卓玛", "F", 1995, "college", True, "村团支部书记"), ("完玛加", "M", 1990, "senior", False, "合作社会计")],
    "632524101206": [("索南才让", "M", 1992, "college", True, "大学生村官"), ("拉毛措", "F", 1996, "senior", False, "致富带头人")],
    "632524100202": [("仁青东智", "M", 1989, "senior", False, "牧业合作社理事"), ("德吉卓玛", "F", 1994, "college", False, "村文书")],
}  # fmt: skip


def _reference(model, name: str, issued_by: str, source, parts: str):
    """A copy of a default checklist or indicator set under 兴海县's own name (made once)."""
    found = model.objects.filter(name=name).first()
    if found is not None:
        return found, 0
    copy = model.objects.create(name=name, issued_by=issued_by)
    for part in getattr(source, parts).all():
        if parts == "categories":
            category = copy.categories.create(name=part.name, order=part.order)
            for item in part.items.all():
                category.items.create(name=item.name, max_points=item.max_points, order=item.order)
        else:
            copy.indicators.create(name=part.name, max_points=part.max_points, order=part.order)
    return copy, 1


def _xinghai() -> int:
    today = timezone.localdate()
    branches = {
        code: PartyOrg.objects.filter(region_id=code, kind="village").first() for code, *_r in XINGHAI
    }
    if not all(branches.values()):
        return 0
    gansu_checklist = Checklist.objects.get(name=GANSU_CHECKLIST)
    checklist, made = _reference(Checklist, *XINGHAI_CHECKLIST, gansu_checklist, "categories")
    indicator_set, n = _reference(
        IndicatorSet, *XINGHAI_INDICATORS, IndicatorSet.objects.get(name=HUIXIAN_SET), "indicators"
    )
    made += n
    items = [i for c in checklist.categories.prefetch_related("items") for i in c.items.all()]
    for index, (code, branch) in enumerate(branches.items()):
        if not BranchScore.objects.filter(org=branch, year=today.year - 1).exists():
            points = {
                i.pk: i.max_points - (Decimal(1) if (i.order + index) % (3 - index % 2) == 0 else 0)
                for i in items
            }
            services.score_record(
                by=None, org=branch, checklist=checklist, year=today.year - 1, points=points,
                satisfaction=Decimal(58) if code == "632524100202" else Decimal(90 - index * 4),
            )  # fmt: skip
            made += 1
        for post, name in XINGHAI_CADRES[code]:
            cadre = VillageCadre.objects.filter(org=branch, name=name, post=post).first()
            if cadre is None:
                cadre = services.cadre_add(by=None, org=branch, name=name, post=post)
                made += 1
            for back in (3, 2, 1):
                year, month = divmod(today.month - 1 - back, 12)
                first = D(today.year + year, month + 1, 1)
                if CadreMonthScore.objects.filter(cadre=cadre, month=first).exists():
                    continue
                points = {
                    i.pk: i.max_points - Decimal((index * 2 + back + i.order) % 5)
                    for i in indicator_set.indicators.all()
                }
                services.cadre_score(
                    by=None, cadre=cadre, indicator_set=indicator_set, month=first, points=points
                )
                made += 1
        for name, sex, born, education, member, work in XINGHAI_RESERVES[code]:
            if not ReserveCadre.objects.filter(org=branch, name=name).exists():
                services.reserve_add(
                    by=None, org=branch, name=name, sex=sex, birth_year=born, education=education,
                    is_party_member=member, current_work=work, added_on=D(2020, 3, 1),
                )  # fmt: skip
                made += 1
    # 青根河村: no first secretary, low satisfaction: identified two and a half months ago, now being rectified.
    weak = branches["632524100202"]
    if not WeakCase.objects.filter(org=weak).exists():
        found_on, planned_on = today - datetime.timedelta(days=75), today - datetime.timedelta(days=60)
        case = services.weak_identify(
            by=None, org=weak, year=found_on.year, criteria=["weak_leadership"],
            description="群众满意度偏低,书记带富能力不强,组织生活不经常", at=moment(found_on),
        )  # fmt: skip
        services.weak_step(
            by=None, case=case, action="plan", version=case.version,
            plan="子科滩镇党委班子成员包村指导;选派大唐青海公司机关党支部结对帮带;每月开展主题党日并公开",
            owner="子科滩镇党委副书记", deadline=today + datetime.timedelta(days=120), at=moment(planned_on),
        )  # fmt: skip
        made += 1
    return made


# --- seed 002: 国家能源集团's 35 branch pairings ---------------------------------------------------

CHN_ENERGY = "国家能源投资集团有限责任公司"
# The subsidiary that did the work in each county (seed 002), whose branches pair with its villages.
CHN_SUBSIDIARIES = {
    "540623": "西藏公司", "632726": "青海公司", "632224": "青海公司", "513428": "大渡河", "513429": "四川能源",
    "140623": "龙源电力", "150429": "平庄煤业", "610827": "神东煤炭", "610829": "神东煤炭",
}  # fmt: skip
CHN_PAIRINGS = 35


def _chn_pairings() -> int:
    """总部及二级单位35个党支部与9县的贫困村党支部开展结对共建 (seed 002): 35 pairs, the first villages of
    each county in turn; the helper is a head-office branch for the first round, then the county's
    subsidiary's. Start dates are chosen (2018—2019)."""
    unit = Unit.objects.filter(name=CHN_ENERGY).first()
    counties = list(CHN_SUBSIDIARIES)
    if unit is None or Region.objects.filter(code__in=counties).count() != len(counties):
        return 0
    if Pairing.objects.filter(helper__unit=unit).count() >= CHN_PAIRINGS:
        return 0
    made = 0
    rounds = -(-CHN_PAIRINGS // len(counties))
    villages = {c: _villages(c, rounds) for c in counties}
    numbers: dict[str, int] = {}
    for i in range(CHN_PAIRINGS):
        county, turn = counties[i % len(counties)], i // len(counties)
        village = villages[county][turn]
        owner = "集团总部" if turn == 0 else CHN_SUBSIDIARIES[county]
        numbers[owner] = numbers.get(owner, 0) + 1
        helper, n = _org(
            f"国家能源集团{owner}第{_ordinal(numbers[owner])}党支部",
            level="branch",
            kind="enterprise",
            unit=unit,
        )
        branch, m = _org(
            _branch_name(village),
            level="branch",
            kind="village",
            region_id=village.code,
            founded_on=D(1984, 7, 1),
        )
        made += n + m
        if not Pairing.objects.filter(helper=helper, village_branch=branch).exists():
            services.pairing_create(
                by=None, helper=helper, village_branch=branch, started_on=D(2018 + turn % 2, 3 + i % 9, 1),
                note="结对共建:阵地建设、干部培训、扶危济困、文明创建(据《国家能源集团脱贫攻坚成果综述》)",
            )  # fmt: skip
            made += 1
    return made


def _ordinal(n: int) -> str:
    digits = "一二三四五六七八九"
    return digits[n - 1] if n < 10 else "十" + (digits[n - 11] if n > 10 else "")
