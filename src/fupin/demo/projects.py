"""Demo data of the projects app, from the seeds.

- Seed 002 (国家能源集团脱贫攻坚成果综述, 2021): the group's assistance projects in its nine counties, by
  category, whose totals are the report's: education 3.93亿元 in 113 projects, medical 9,259万元 in
  44, housing and water 1.96亿元, infrastructure 1.52亿元, industry 1.63亿元 in 85, ecology 5,350万元
  (黄河源 in 曲麻莱). The report gives no project counts for housing/water and infrastructure; one
  project per county is assumed (9 each). The named projects are the report's (阿布泽鲁小学 and
  株木树小学 in 凉山, 布拖's 8 km road to 博作村, 龙源电力's two village PV stations of 1,000万元 in 右玉,
  平庄煤业's greenhouses in 宁城, 普格's strawberries in 城西村, 聂荣's housing for 5,793 households).
  The money is one 2016—2020 source of the group's direct investment per county, allocated to and
  fully disbursed on the (completed) projects; staff donations (5,581.68万元) and the funds the
  group brought in (474万元) are sources of their own.
- Seed 004: a 长流村 (高州市) project proposed by its first secretary 李晓奋 in November 2016 and taken
  through the whole procedure his work team drafted: proposal, township review, county approval
  with an expert review, publicity, implementation, acceptance, completion notice, evaluation.

Fast: the seed 002 records are bulk-created (the ledger's database triggers still check every entry).
Idempotent: a source or project found by its natural key is not made again.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from fupin.accounts.models import User
from fupin.orgs.models import Unit
from fupin.projects import ledger, services, workflow
from fupin.projects.models import Category, FundSource, LedgerEntry, Project, ProjectEvent, Status
from fupin.regions.models import Region

CHN_ENERGY = "国家能源投资集团有限责任公司"
# 聂荣 曲麻莱 刚察 普格 布拖 右玉 宁城 米脂 吴堡: the group's nine counties (orgs.AssistedPlace of the unit).
COUNTIES = ("540623", "632726", "632224", "513428", "513429", "140623", "150429", "610827", "610829")
NIERONG, QUMALAI, PUGE, BUTUO, YOUYU, NINGCHENG = "540623", "632726", "513428", "513429", "140623", "150429"
YEARS = (2016, 2017, 2018, 2019, 2020)
SOURCE_YEAR = 2020
SOURCE_NAME = "国家能源集团定点帮扶直接投入(2016—2020年累计,{county})"
DONATIONS = ("国家能源集团职工“扶贫日”爱心捐款(2018—2020年累计)", Decimal("55816800.00"))
BROUGHT_IN = ("国家能源集团引进社会帮扶捐赠(2016—2020年累计)", Decimal("4740000.00"))
NOTE = "据《国家能源集团脱贫攻坚成果综述》(2021年2月)"

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
    Category.ECOLOGY: (Decimal("53500000.00"), 1, [("曲麻莱县黄河源休牧还草生态管护", QUMALAI, None)]),
}
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
                    "year": YEARS[i % len(YEARS)],
                    "amount": amounts[i],
                }
            )
    return plan


def _build_seed_002(unit: Unit) -> int:
    plan = seed_002_plan()
    counties = {c for c in COUNTIES if Region.objects.filter(code=c).exists()}
    plan = [p for p in plan if p["county"] in counties]
    names = {p["county"]: Region.objects.get(code=p["county"]).name for p in plan}
    made = 0
    sources = {}
    for county in sorted(counties):
        name = SOURCE_NAME.format(county=names.get(county, county))
        source, created = FundSource.objects.get_or_create(
            name=name,
            year=SOURCE_YEAR,
            defaults={"kind": FundSource.Kind.UNIT_DIRECT, "place_id": county, "unit": unit, "note": NOTE},
        )
        if not created:
            return 0  # already built
        sources[county] = source
        made += 1
    day = datetime.date(2020, 12, 31)
    budgets = [
        LedgerEntry(
            kind=LedgerEntry.Kind.BUDGET,
            source=sources[county],
            amount=sum((p["amount"] for p in plan if p["county"] == county), Decimal(0)),
            date=day,
            memo="2016—2020年累计投入",
        )
        for county in sorted(sources)
    ]
    LedgerEntry._base_manager.bulk_create([b for b in budgets if b.amount > 0])
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
    ProjectEvent.objects.bulk_create(
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
    allocations = LedgerEntry._base_manager.bulk_create(
        [
            LedgerEntry(
                kind=LedgerEntry.Kind.ALLOCATION,
                source=sources[project.place_id],
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
    for name, amount, kind in (
        (*DONATIONS, FundSource.Kind.DONATION),
        (*BROUGHT_IN, FundSource.Kind.BROUGHT_IN),
    ):
        source = services.source_create(
            by=None, name=name, kind=kind, year=SOURCE_YEAR, unit_id=unit.pk, note=NOTE
        )
        ledger.fund_budget(by=None, source=source, amount=amount, date=day, memo="累计募集/引进")
        made += 1
    return made + len(projects)


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
    )
    Project._base_manager.filter(pk=project.pk).update(created_by=secretary)
    step = workflow.project_transition
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
        reason="镇江镇扶贫办审核:符合规划",
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


@transaction.atomic
def build_projects() -> int:
    made = 0
    unit = Unit.objects.filter(name=CHN_ENERGY).first()
    if unit is not None:
        made += _build_seed_002(unit)
    made += _build_changliu()
    return made
