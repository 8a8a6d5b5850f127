"""Demo data of the projects app, from the seeds.

- Seed 002 (国家能源集团脱贫攻坚成果综述, 2021): the group's assistance projects in its nine counties, by
  category, whose totals are the report's: education 3.93亿元 in 113 projects, medical 9,259万元 in
  44, housing and water 1.96亿元, infrastructure 1.52亿元, industry 1.63亿元 in 85, ecology 5,350万元
  (黄河源 in 曲麻莱). The report gives no project counts for housing/water and infrastructure; one
  project per county is assumed (9 each); the ecology work is three yearly phases (2018—2020).
  The named projects are the report's (阿布泽鲁小学 and 株木树小学 in 凉山, 布拖's 8 km road to 博作村,
  龙源电力's two village PV stations of 1,000万元 in 右玉, 平庄煤业's greenhouses in 宁城, 普格's
  strawberries in 城西村, 聂荣's housing for 5,793 households). The money is the group's direct
  investment per county and year ("每年印发年度扶贫工作计划……分批及时下达资金项目计划"): a source per
  county and year, its budget issued in March, allocated to that year's projects and disbursed when
  each was completed.
- Seed 002's staff donations (5,581.68万元, "连续3年举办扶贫日专题活动"): one campaign a year
  (2018—2020), each a source whose entries are the gifts of the group's units collected around
  扶贫日 (17 October); the seed gives no finer split, so the units' shares are chosen here, and the
  yearly totals too. Funds brought in from outside (474万元): twelve gifts to the nine counties.
- Seed 000 (大唐青海 in 兴海县): the projects it discussed with the village branches ("讨论了扶贫资金投资
  事宜", "党员活动室改造计划", "协调部分帮扶资金投入贫困村教育设施……大唐启明星"), on its own money;
  the 洗车行 of 民族村's collective economy on county money; and a project of this year waiting for
  唐乃亥乡's review. The seed gives no amounts: they are chosen here.
- Seed 004: a 长流村 (高州市新垌镇) project proposed by its first secretary 李晓奋 in November 2016 and
  taken through the whole procedure his work team drafted: proposal, township review, county
  approval with an expert review, publicity, implementation, acceptance, completion notice,
  evaluation.

Every workflow event carries the day it records (demo/when.py). Fast: the seed 002 records are
bulk-created (the ledger's database triggers still check every entry). Idempotent: a source or
project found by its natural key is not made again.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fupin.accounts.models import User
from fupin.demo.outcomes import split
from fupin.demo.when import moment, restamp
from fupin.orgs.models import Unit
from fupin.projects import ledger, services, workflow
from fupin.projects import selectors as project_selectors
from fupin.projects.models import Category, FundSource, LedgerEntry, Project, ProjectEvent, Status
from fupin.regions.models import Region

CHN_ENERGY = "国家能源投资集团有限责任公司"
# 聂荣 曲麻莱 刚察 普格 布拖 右玉 宁城 米脂 吴堡: the group's nine counties (orgs.AssistedPlace of the unit).
COUNTIES = ("540623", "632726", "632224", "513428", "513429", "140623", "150429", "610827", "610829")
NIERONG, QUMALAI, GANGCHA = "540623", "632726", "632224"
PUGE, BUTUO, YOUYU, NINGCHENG, MIZHI, WUBAO = "513428", "513429", "140623", "150429", "610827", "610829"
YEARS = (2016, 2017, 2018, 2019, 2020)
SOURCE_NAME = "国家能源集团{year}年定点帮扶直接投入({county})"
NOTE = "据《国家能源集团脱贫攻坚成果综述》(2021年2月)"

# Staff donations per 扶贫日 campaign (yuan; the seed gives only the sum, 5,581.68万元).
DONATION_YEARS = {2018: Decimal("16500000.00"), 2019: Decimal("18600000.00"), 2020: Decimal("20716800.00")}
DONATION_NAME = "国家能源集团{year}年“扶贫日”职工爱心捐款"
# The units whose staff gave, with a weight for their share (chosen: about their headcount).
DONORS = [
    ("集团总部", 6), ("中国神华能源股份有限公司", 8), ("国家能源集团神东煤炭集团", 9),
    ("国电电力发展股份有限公司", 8), ("龙源电力集团股份有限公司", 5), ("国家能源集团国华电力", 5),
    ("国能大渡河流域水电开发有限公司", 4), ("国家能源集团四川能源有限公司", 3),
    ("国家能源集团青海电力有限公司", 2), ("国家能源集团平庄煤业有限责任公司", 4),
    ("国家能源集团西藏电力有限公司", 1), ("国家能源集团宁夏煤业有限责任公司", 6),
    ("国家能源集团准格尔能源有限责任公司", 4), ("国能朔黄铁路发展有限责任公司", 3),
    ("国能包头能源有限责任公司", 2), ("国家能源集团新疆能源有限责任公司", 2),
    ("国能销售集团有限公司", 2), ("国家能源集团物资有限公司", 1), ("国家能源集团置业有限公司", 1),
    ("国家能源集团传媒中心", 1), ("国家能源集团科学技术研究院", 2), ("国能科技环保集团", 2),
]  # fmt: skip
# Funds brought in from outside the group (seed 002: 474万元 to the nine counties; donors not named).
BROUGHT_IN_GIFTS = [
    (2018, BUTUO, "社会爱心企业捐赠(学校设施)", "600000.00"),
    (2018, PUGE, "合作电商平台捐赠(农产品上行)", "400000.00"),
    (2018, NIERONG, "在外乡贤捐赠(牧区助学)", "200000.00"),
    (2019, YOUYU, "合作电商平台捐赠(电商基地建设)", "500000.00"),
    (2019, MIZHI, "社会爱心企业捐赠(助学)", "300000.00"),
    (2019, WUBAO, "社会爱心企业捐赠(助学)", "300000.00"),
    (2019, GANGCHA, "公益基金会捐赠(医疗设备)", "200000.00"),
    (2019, QUMALAI, "公益基金会捐赠(生态管护)", "300000.00"),
    (2020, BUTUO, "社会爱心企业捐赠(挂牌督战)", "700000.00"),
    (2020, PUGE, "社会爱心企业捐赠(挂牌督战)", "640000.00"),
    (2020, NINGCHENG, "合作银行公益捐赠(设施农业)", "300000.00"),
    (2020, NIERONG, "公益基金会捐赠(医疗设备)", "300000.00"),
]

# category -> (total yuan, number of projects, named projects: (name, county, amount or None))
SEED_002 = {
    Category.EDUCATION: (
        Decimal("393000000.00"),
        113,
        [("阿布泽鲁小学援建项目", BUTUO, None), ("株木树小学援建项目", PUGE, None)],
    ),
    Category.MEDICAL: (Decimal("92590000.00"), 44, []),
    Category.HOUSING_WATER: (
        Decimal("196000000.00"),
        9,
        [("聂荣县农牧民住房改善项目(5793户)", NIERONG, None)],
    ),
    Category.INFRASTRUCTURE: (
        Decimal("152000000.00"),
        9,
        [("布拖县博作村8公里通村公路", BUTUO, None)],
    ),
    Category.INDUSTRY: (
        Decimal("163000000.00"),
        85,
        [
            ("右玉县村级光伏扶贫电站(一)", YOUYU, Decimal("5000000.00")),
            ("右玉县村级光伏扶贫电站(二)", YOUYU, Decimal("5000000.00")),
            ("宁城县果蔬大棚园区", NINGCHENG, None),
            ("普格县城西村草莓种植项目", PUGE, None),
        ],
    ),
    Category.ECOLOGY: (
        Decimal("53500000.00"),
        3,
        [
            ("曲麻莱县黄河源休牧还草生态管护(一期)", QUMALAI, None),
            ("曲麻莱县黄河源休牧还草生态管护(二期)", QUMALAI, None),
            ("曲麻莱县黄河源休牧还草生态管护(三期)", QUMALAI, None),
        ],
    ),
}
# The years a category's projects run in, in turn (default: all five).
CATEGORY_YEARS = {Category.ECOLOGY: (2018, 2019, 2020)}
GENERIC = {
    Category.EDUCATION: "教育帮扶项目",
    Category.MEDICAL: "医疗健康帮扶项目",
    Category.HOUSING_WATER: "住房及饮水安全项目",
    Category.INFRASTRUCTURE: "基础设施和人居环境项目",
    Category.INDUSTRY: "特色产业帮扶项目",
}
BENEFIT = {
    Category.EDUCATION: "改善办学条件,受益学生和群众",
    Category.MEDICAL: "改善医疗硬件和服务,减少因病致贫",
    Category.HOUSING_WATER: "解决住房和饮水安全问题",
    Category.INFRASTRUCTURE: "路桥、照明、水利工程,方便群众生产生活",
    Category.INDUSTRY: "扶持村级集体经济,收益用于带动贫困人口就业增收",
    Category.ECOLOGY: "生态管护岗位和草场补偿带动牧民增收",
}


def _split(total: Decimal, count: int, fixed: list[Decimal | None]) -> list[Decimal]:
    """`count` amounts adding up to `total` exactly: the fixed ones, the rest shared evenly (to the fen)."""
    rest = total - sum((a for a in fixed if a is not None), Decimal(0))
    open_count = count - sum(1 for a in fixed if a is not None)
    share = (rest / open_count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    amounts = [a for a in fixed if a is not None] + [share] * open_count
    amounts[-1] += total - sum(amounts)
    return amounts


def seed_002_plan() -> list[dict]:
    """Every seed 002 project: name, category, county, year and amount (the amounts sum to the seed's)."""
    plan = []
    for category, (total, count, named) in SEED_002.items():
        fixed_first = sorted(named, key=lambda n: n[2] is None)  # fixed amounts first
        amounts = _split(total, count, [n[2] for n in fixed_first] + [None] * (count - len(named)))
        years = CATEGORY_YEARS.get(category, YEARS)
        for i in range(count):
            if i < len(fixed_first):
                name, county = fixed_first[i][0], fixed_first[i][1]
            else:
                county = COUNTIES[i % len(COUNTIES)]
                name = f"{GENERIC[category]}{i + 1:03d}"
            plan.append(
                {
                    "name": name,
                    "category": category,
                    "county": county,
                    "year": years[i % len(years)],
                    "amount": amounts[i],
                }
            )
    return plan


def _build_seed_002(unit: Unit) -> int:
    if FundSource.objects.filter(unit=unit, kind=FundSource.Kind.UNIT_DIRECT, note=NOTE).exists():
        return 0  # already built
    counties = {c for c in COUNTIES if Region.objects.filter(code=c).exists()}
    plan = [p for p in seed_002_plan() if p["county"] in counties]
    names = dict(Region.objects.filter(code__in=counties).values_list("code", "name"))
    sources = {}
    for county, year in sorted({(p["county"], p["year"]) for p in plan}):
        sources[county, year] = FundSource(
            name=SOURCE_NAME.format(year=year, county=names[county]),
            year=year,
            kind=FundSource.Kind.UNIT_DIRECT,
            place_id=county,
            unit=unit,
            note=NOTE,
        )
    FundSource.objects.bulk_create(sources.values())
    sources = {
        (s.place_id, s.year): s
        for s in FundSource.objects.filter(unit=unit, kind=FundSource.Kind.UNIT_DIRECT, note=NOTE)
    }
    # The year's plan is issued in March: one budget entry per county and year, the sum of its projects.
    budgets = {}
    for p in plan:
        budgets[p["county"], p["year"]] = budgets.get((p["county"], p["year"]), Decimal(0)) + p["amount"]
    LedgerEntry._base_manager.bulk_create(
        [
            LedgerEntry(
                kind=LedgerEntry.Kind.BUDGET,
                source=sources[key],
                amount=amount,
                date=datetime.date(key[1], 3, 31),
                memo="年度扶贫工作计划下达",
            )
            for key, amount in sorted(budgets.items())
        ]
    )
    projects = Project._base_manager.bulk_create(
        [
            Project(
                name=p["name"],
                category=p["category"],
                place_id=p["county"],
                year=p["year"],
                start_date=datetime.date(p["year"], 4, 1),
                end_date=datetime.date(p["year"], 11, 30),
                unit=unit,
                tasks=p["name"],
                budget=p["amount"],
                beneficiaries_text="建档立卡贫困户",
                performance_targets="按期建成并发挥效益",
                benefit_mechanism=BENEFIT[p["category"]],
                status=Status.COMPLETED,
                completed_on=datetime.date(p["year"], 12, 31),
                announcement="项目已竣工,资金已全部拨付",
            )
            for p in plan
        ]
    )
    events = ProjectEvent.objects.bulk_create(
        [
            ProjectEvent(
                project=project,
                action=ProjectEvent.Action.CREATE,
                to_status=Status.COMPLETED,
                reason=f"{NOTE}录入的已竣工项目",
            )
            for project in projects
        ]
    )
    # The event records the completion, not the day the demo was built.
    restamp(ProjectEvent, [(e, moment(p.completed_on)) for e, p in zip(events, projects, strict=True)])
    allocations = LedgerEntry._base_manager.bulk_create(
        [
            LedgerEntry(
                kind=LedgerEntry.Kind.ALLOCATION,
                source=sources[project.place_id, project.year],
                project=project,
                amount=project.budget,
                date=project.start_date,
                memo="分配到项目",
            )
            for project in projects
        ]
    )
    LedgerEntry._base_manager.bulk_create(
        [
            LedgerEntry(
                kind=LedgerEntry.Kind.DISBURSEMENT,
                source=allocation.source,
                project=allocation.project,
                allocation=allocation,
                amount=allocation.amount,
                date=allocation.project.end_date,
                memo="竣工拨付",
            )
            for allocation in allocations
        ]
    )
    return len(sources) + len(projects) + _donations(unit) + _brought_in(unit, counties, names)


def _donations(unit: Unit) -> int:
    """One 扶贫日 campaign a year; each gift is one unit's staff donations, collected by its union."""
    made = 0
    weights = [w for _name, w in DONORS]
    for year, total in DONATION_YEARS.items():
        source = services.source_create(
            by=None,
            name=DONATION_NAME.format(year=year),
            kind=FundSource.Kind.DONATION,
            year=year,
            unit_id=unit.pk,
            note=f"{NOTE};集团工会部组织,由国家能源集团公益基金会用于资助9县贫困学生、奖励优秀师生",
        )
        shares = split(int(total * 100), weights)
        LedgerEntry._base_manager.bulk_create(
            [
                LedgerEntry(
                    kind=LedgerEntry.Kind.BUDGET,
                    source=source,
                    amount=Decimal(fen) / 100,
                    date=datetime.date(year, 10, 17) + datetime.timedelta(days=i % 12),
                    memo=f"{donor}职工“扶贫日”捐款(单位工会汇缴)",
                )
                for i, ((donor, _w), fen) in enumerate(zip(DONORS, shares, strict=True))
            ]
        )
        made += 1
    return made


def _brought_in(unit: Unit, counties: set[str], names: dict[str, str]) -> int:
    made = 0
    for year, county, donor, amount in BROUGHT_IN_GIFTS:
        if county not in counties:
            continue
        source = services.source_create(
            by=None,
            name=f"{year}年引进社会帮扶资金({names[county]},{donor})",
            kind=FundSource.Kind.BROUGHT_IN,
            year=year,
            place_code=county,
            unit_id=unit.pk,
            note=f"{NOTE};各组长单位引进外部社会帮扶力量无偿捐助",
        )
        ledger.fund_budget(
            by=None, source=source, amount=amount, date=datetime.date(year, 9, 1), memo=f"{donor}到账"
        )
        made += 1
    return made


# --- seed 004: 长流村 -----------------------------------------------------------------------------

CHANGLIU = "440981101207"
GAOZHOU = "440981"
MAOMING_PROJECT = "长流村村道硬化及路灯安装工程"


def _build_changliu() -> int:
    if not Region.objects.filter(code=CHANGLIU).exists():
        return 0
    if Project.objects.filter(name=MAOMING_PROJECT, place_id=CHANGLIU).exists():
        return 0
    court = Unit.objects.filter(name="广东省高级人民法院").first()
    secretary = User.objects.filter(username="fs_changliu").first()  # 李晓奋, first secretary
    provincial = services.source_create(
        by=None,
        name="2016年高州市省级财政专项扶贫资金",
        kind=FundSource.Kind.PROVINCIAL,
        year=2016,
        place_code=GAOZHOU,
        note="省级下达高州市",
    )
    ledger.fund_budget(by=None, source=provincial, amount="3000000.00", date=datetime.date(2016, 9, 1))
    own = services.source_create(
        by=None,
        name="2016年广东省高级人民法院定点帮扶资金",
        kind=FundSource.Kind.UNIT_DIRECT,
        year=2016,
        unit_id=court.pk if court else None,
        place_code="" if court else GAOZHOU,
        note="驻长流村工作队帮扶资金",
    )
    ledger.fund_budget(by=None, source=own, amount="500000.00", date=datetime.date(2016, 10, 1))
    project = services.project_create(
        by=None,
        place_code=CHANGLIU,
        name=MAOMING_PROJECT,
        category=Category.INFRASTRUCTURE,
        nature="new",
        year=2016,
        start_date=datetime.date(2016, 12, 10),
        end_date=datetime.date(2017, 3, 15),
        unit_id=court.pk if court else None,
        tasks="硬化村道2.6公里,安装太阳能路灯120盏",
        budget="600000.00",
        beneficiaries_text="长流村全体村民,其中建档立卡贫困户优先安排务工",
        target_households=0,
        performance_targets="村道全部硬化;路灯亮灯率100%;贫困户务工不少于20人次",
        benefit_mechanism="施工优先雇用本村贫困劳动力;建成后设公益性管护岗位由贫困户担任",
        at=moment(datetime.date(2016, 11, 12)),
    )
    Project._base_manager.filter(pk=project.pk).update(created_by=secretary)
    step = _step
    step(
        by=secretary,
        project=project,
        action="propose",
        on=datetime.date(2016, 11, 15),
        reason="经村两委会议和村民代表大会讨论通过",
    )
    step(
        by=None,
        project=project,
        action="review",
        on=datetime.date(2016, 11, 20),
        reason="新垌镇扶贫办审核:符合规划",
    )
    ledger.fund_allocate(
        by=None, source=provincial, project=project, amount="400000.00", date=datetime.date(2016, 11, 25)
    )
    court_money = ledger.fund_allocate(
        by=None, source=own, project=project, amount="200000.00", date=datetime.date(2016, 11, 25)
    )
    step(
        by=None,
        project=project,
        action="approve",
        on=datetime.date(2016, 11, 28),
        reason="高州市扶贫开发领导小组批准",
        expert_names="市交通局工程师、市扶贫办项目专家",
        expert_opinion="线路选择合理,造价符合标准,同意实施",
        expert_review_date=datetime.date(2016, 11, 26),
    )
    step(by=None, project=project, action="publicise", on=datetime.date(2016, 12, 1), publicity_days=7)
    step(by=None, project=project, action="start", on=datetime.date(2016, 12, 10))
    provincial_money = LedgerEntry.objects.get(
        project=project, source=provincial, kind=LedgerEntry.Kind.ALLOCATION
    )
    ledger.fund_disburse(
        by=None,
        allocation=provincial_money,
        amount="240000.00",
        date=datetime.date(2016, 12, 20),
        memo="预付工程款",
    )
    ledger.fund_disburse(
        by=None,
        allocation=provincial_money,
        amount="160000.00",
        date=datetime.date(2017, 3, 25),
        memo="验收后付款",
    )
    ledger.fund_disburse(
        by=None,
        allocation=court_money,
        amount="200000.00",
        date=datetime.date(2017, 3, 25),
        memo="路灯采购安装",
    )
    step(
        by=None,
        project=project,
        action="accept",
        on=datetime.date(2017, 3, 20),
        reason="镇、村和工作队联合验收合格",
    )
    step(
        by=None,
        project=project,
        action="complete",
        on=datetime.date(2017, 3, 28),
        announcement="长流村村道硬化及路灯安装工程已竣工,资金60万元已全部拨付,接受群众监督",
    )
    step(
        by=None,
        project=project,
        action="evaluate",
        on=datetime.date(2017, 6, 30),
        score=95,
        reason="达到绩效目标",
    )
    services.beneficiary_add(
        by=None, project=project, village_code=CHANGLIU, benefit="村道硬化和路灯,全村受益"
    )
    return 1


# --- seed 000: 兴海县 ------------------------------------------------------------------------------

DATANG = "大唐青海能源开发有限公司"
XINGHAI = "632524"
MINZU, NINGQU, QINGGENHE = "632524203207", "632524101206", "632524100202"
EXPERTS = {
    "expert_names": "县发改局、县乡村振兴局项目评审专家",
    "expert_opinion": "方案可行,造价合理,同意实施",
}
# name, category, place, year, budget, tasks, targets, benefit, [(source key, amount)], beneficiary
# villages, and the steps with their days (evaluation last). Amounts are chosen: the seed gives none.
XINGHAI_PROJECTS = [
    (
        "民族村洗车行(村集体经济)",
        Category.INDUSTRY,
        MINZU,
        2018,
        "350000.00",
        "建设洗车行一处,购置洗车设备,由村集体经营",
        "年集体经济收入不低于3万元;吸纳贫困劳动力务工不少于3人",
        "村集体经营,收益按比例分配给建档立卡贫困户",
        [("county_2018", "350000.00")],
        [MINZU],
        [("propose", (2018, 3, 10)), ("review", (2018, 3, 20)), ("approve", (2018, 3, 28)),
         ("publicise", (2018, 4, 1)), ("start", (2018, 4, 10)), ("accept", (2018, 8, 20)),
         ("complete", (2018, 8, 30)), ("evaluate", (2018, 12, 20))],
    ),
    (
        "民族村党员活动室改造",
        Category.INFRASTRUCTURE,
        MINZU,
        2020,
        "280000.00",
        "改造党员活动室120平方米,更新桌椅、远程教育和多媒体设备,配置学习书架",
        "2020年7月底前完工;党员学习资料配备齐全",
        "改善党员教育和村民议事条件,服务全村群众",
        [("datang_2020", "280000.00")],
        [MINZU],
        [("propose", (2020, 3, 2)), ("review", (2020, 3, 10)), ("approve", (2020, 3, 20)),
         ("publicise", (2020, 3, 25)), ("start", (2020, 4, 6)), ("accept", (2020, 7, 20)),
         ("complete", (2020, 7, 28)), ("evaluate", (2020, 12, 15))],
    ),
    (
        "大唐启明星学前教育走教点设施改善",
        Category.EDUCATION,
        XINGHAI,
        2020,
        "450000.00",
        "为民族村、宁曲村、青根河村学前教育走教点配置保教设施、取暖设备和图书",
        "三个走教点秋季开学前投入使用;适龄幼儿入园率提高",
        "牧区适龄幼儿就近接受学前教育,阻断贫困代际传递",
        [("datang_2020", "450000.00")],
        [MINZU, NINGQU, QINGGENHE],
        [("propose", (2020, 4, 8)), ("review", (2020, 4, 15)), ("approve", (2020, 4, 24)),
         ("publicise", (2020, 5, 1)), ("start", (2020, 5, 11)), ("accept", (2020, 8, 18)),
         ("complete", (2020, 8, 25)), ("evaluate", (2020, 12, 15))],
    ),
]  # fmt: skip


def _xinghai_sources(datang: Unit | None) -> dict[str, FundSource]:
    this_year = timezone.localdate().year
    rows = [
        ("county_2018", "2018年兴海县财政专项扶贫资金", FundSource.Kind.COUNTY, 2018, None, "2000000.00", (2018, 2, 28)),
        ("county_now", f"{this_year}年兴海县衔接推进乡村振兴补助资金", FundSource.Kind.COUNTY, this_year, None,
         "1500000.00", (this_year, 1, 10)),
    ]  # fmt: skip
    if datang is not None:
        rows += [
            ("datang_2020", "2020年大唐青海公司定点帮扶资金(兴海县)", FundSource.Kind.UNIT_DIRECT, 2020, datang,
             "730000.00", (2020, 2, 20)),
            ("datang_now", f"{this_year}年大唐青海公司帮扶资金(兴海县)", FundSource.Kind.UNIT_DIRECT, this_year,
             datang, "300000.00", (this_year, 1, 10)),
        ]  # fmt: skip
    sources = {}
    for key, name, kind, year, unit, amount, (y, m, d) in rows:
        source = services.source_create(
            by=None,
            name=name,
            kind=kind,
            year=year,
            place_code=XINGHAI,
            unit_id=unit.pk if unit else None,
            note="大唐青海公司与兴海县委共同谋划(《党建对口帮扶工作方案》)" if unit else "县级财政安排",
        )
        ledger.fund_budget(by=None, source=source, amount=amount, date=datetime.date(y, m, d))
        sources[key] = source
    return sources


def _xinghai_project(datang, sources, row) -> None:
    name, category, place, year, budget, tasks, targets, benefit, money, villages, steps = row
    first = datetime.date(*steps[0][1])
    project = services.project_create(
        by=None,
        place_code=place,
        name=name,
        category=category,
        nature="new",
        year=year,
        start_date=datetime.date(*steps[4][1]),
        end_date=datetime.date(*steps[5][1]),
        unit_id=datang.pk if datang and any(k.startswith("datang") for k, _a in money) else None,
        tasks=tasks,
        budget=budget,
        beneficiaries_text="建档立卡贫困户优先",
        target_households=0,
        performance_targets=targets,
        benefit_mechanism=benefit,
        at=moment(first - datetime.timedelta(days=7)),
    )
    allocations = []
    for action, day in steps:
        on = datetime.date(*day)
        if on > timezone.localdate():
            break
        details = {}
        if action == "approve":  # the money is found after the township's review, before approval
            for key, amount in money:
                allocations.append(
                    ledger.fund_allocate(
                        by=None,
                        source=sources[key],
                        project=project,
                        amount=amount,
                        date=on - datetime.timedelta(days=3),
                    )
                )
            details = {**EXPERTS, "expert_review_date": on - datetime.timedelta(days=2)}
        elif action == "publicise":
            details = {"publicity_days": 7}
        elif action == "complete":
            for allocation in allocations:  # paid in full before the completion notice
                ledger.fund_disburse(by=None, allocation=allocation, amount=allocation.amount, date=on)
            details = {"announcement": f"{name}已竣工,资金已全部拨付,接受群众监督"}
        elif action == "evaluate":
            details = {"score": 92}
        reason = {
            "propose": "经村两委会议和村民代表大会讨论通过",
            "review": "乡镇审核:符合村级规划",
            "approve": "县扶贫开发领导小组批准",
            "accept": "乡镇、村和帮扶单位联合验收合格",
            "evaluate": "达到绩效目标",
        }.get(action, "")
        _step(by=None, project=project, action=action, on=on, reason=reason, **details)
    for village in villages:
        services.beneficiary_add(by=None, project=project, village_code=village, benefit=benefit[:100])


def _build_xinghai() -> int:
    """大唐青海's projects in 兴海县 and the county's own, with a current one awaiting 唐乃亥乡's review."""
    if not Region.objects.filter(code=MINZU).exists():
        return 0
    if Project.objects.filter(name=XINGHAI_PROJECTS[0][0], place_id=MINZU).exists():
        return 0
    datang = Unit.objects.filter(name=DATANG).first()
    sources = _xinghai_sources(datang)
    for row in XINGHAI_PROJECTS:
        _xinghai_project(datang, sources, row)
    # This year's project, proposed by the village a fortnight ago: waiting for the township's review.
    today = timezone.localdate()
    proposed = today - datetime.timedelta(days=14)
    money = [("county_now", "220000.00")] + ([("datang_now", "300000.00")] if datang else [])
    _xinghai_project(
        datang,
        sources,
        (
            "民族村牧民定居点饮水管网改造",
            Category.HOUSING_WATER,
            MINZU,
            today.year,
            str(sum(Decimal(a) for _k, a in money)),
            "更换定居点供水主管1.8公里,新建入户管网和防冻井",
            "全村牧户冬季稳定供水;饮水安全达标率100%",
            "解决牧户冬季饮水困难,巩固饮水安全保障",
            money,
            [MINZU],
            # Steps still to come are planned ahead (and not taken): start in a month, accept in four.
            [
                (action, (day.year, day.month, day.day))
                for action, day in (
                    ("propose", proposed),
                    *(
                        (a, today + datetime.timedelta(days=n))
                        for a, n in (("review", 3), ("approve", 10), ("publicise", 14), ("start", 30))
                    ),
                    ("accept", today + datetime.timedelta(days=120)),
                )
            ],
        ),
    )
    return len(XINGHAI_PROJECTS) + 1


def _step(*, on: datetime.date, **fields) -> Project:
    """A workflow step taken on `on`, its event stamped with that day (not the build time)."""
    return workflow.project_transition(on=on, at=moment(on), **fields)


# Each county sets its own 监督举报电话 for its 公示 pages (projects.CountyPublicity); the demo
# counties print the national 乡村振兴 hotline, 12317, rather than invent an office's number.
PUBLICITY_COUNTIES = ("632524", "440981")  # 兴海县, 高州市


def _publicity() -> int:
    made = 0
    for code in PUBLICITY_COUNTIES:
        if Region.objects.filter(code=code).exists() and project_selectors.county_publicity(code) is None:
            services.publicity_save(by=None, county_code=code, hotline="12317")
            made += 1
    return made


@transaction.atomic
def build_projects() -> int:
    made = _publicity()
    unit = Unit.objects.filter(name=CHN_ENERGY).first()
    if unit is not None:
        made += _build_seed_002(unit)
    made += _build_changliu()
    made += _build_xinghai()
    return made
