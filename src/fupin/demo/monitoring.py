"""Demo data of monitoring (issue 12): 2026, the first year of routine assistance (常态化帮扶).

兴海县 (seed 000) consolidates its 2019 exit:

- Standards. The monitoring line (监测标准) across 青海 for 2021–2026 and 兴海县's own for 2025; 甘肃's
  and 四川's for the other demo counties; 兴海县's rural 低保 standard each year. THE AMOUNTS ARE
  ILLUSTRATIVE: about 1.5 × the 2020 poverty line (4,000 元) and rising each year, not the
  provinces' published figures.
- Incomes 2021–2025 for every demo household of 兴海县 (and of the other counties' monitored
  households), grown from each household's 2020 income; some with 合规自付 medical, schooling or
  disaster costs and insurance payouts, so the one income definition (after costs) has something
  to subtract.
- Monitoring objects of each type (脱贫不稳定户, 边缘易致贫户 on ordinary households registered for it,
  突发严重困难户), with several risks and every layer, one 兜底; one identified, eliminated (帮扶消除)
  and identified again; an elimination decided and one under way.
- Leads from every channel — a 医保 list with a large medical bill matched to a member, a self-report
  (one not yet accepted, one refused), a cadre's 发现风险 on a visit, a rule's warning — and one at
  every stage of the review chain, with one past its step's deadline (orange) and one past the
  decision limit (red).
- The Gansu (泾川县, 庄浪县) and seed-002 counties (曲麻莱县, 刚察县, 普格县) likewise, in smaller numbers.

Dates count back from the day the demo is built (as the visits and work logs of demo/assistance.py
do), so the urgency colours hold whenever it is built; every event carries the day it records
(demo/when.py). Written through the services: the standards (set_monitoring_line,
set_dibao_standard), every lead (open_lead; the cadre's visit lead through report_lead), every step
of the chain (accept, reject, verify, compare, village_review, end_publicity, township_check,
county_decide, propose_elimination), the ordinary households (registry) and the data-quality findings
(quality.run_checks). Written straight to the tables: the 医保 batch and its rows (the screening
import reads an uploaded file), the yearly incomes after 2020 with their costs (in bulk, for speed),
2025's 两不愁三保障 checks of the households whose risk is eliminated, a monitoring measure in the
objects' 一户一策, the visit, and the events' days. Idempotent: nothing is made once 兴海县 has a lead.
"""

import base64
import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db.models import Count, Q
from django.utils import timezone

from fupin.accounts.models import User
from fupin.assistance.models import Cadre, Measure, MeasureEvent, Pairing, Plan, Visit
from fupin.core import crypto
from fupin.demo.registry import demo_villages
from fupin.demo.when import moment, restamp
from fupin.monitoring import quality, services
from fupin.monitoring.choices import (
    Channel,
    DisasterKind,
    EliminationKind,
    ObjectType,
    Risk,
    Source,
    Stage,
)
from fupin.monitoring.models import (
    EliminationEvent,
    Lead,
    LeadEvent,
    RiskRule,
    ScreeningBatch,
    ScreeningRow,
)
from fupin.regions.models import Region
from fupin.registry import services as registry
from fupin.registry.choices import Labour, SchoolStatus
from fupin.registry.idnumbers import make_id_number
from fupin.registry.models import Household, HouseholdEvent, LivingCheck, Member, YearlyIncome

D = datetime.date
DAY = datetime.timedelta(days=1)
XINGHAI = "632524"
MINZU, NINGQU, QINGGENHE = "632524203207", "632524101206", "632524100202"

# Illustrative standards (元/人·年): about 1.5 × the 2020 poverty line of 4,000 元, rising yearly.
LINES = {
    "63": {2021: 6000, 2022: 6300, 2023: 6600, 2024: 6900, 2025: 7200, 2026: 7500},
    "62": {2021: 5900, 2022: 6200, 2023: 6500, 2024: 6800, 2025: 7100, 2026: 7400},
    "51": {2021: 6100, 2022: 6400, 2023: 6700, 2024: 7000, 2025: 7300, 2026: 7600},
}
XINGHAI_LINE = (2025, 7400)  # 兴海县 sets its own for one year (the nearest area's line wins)
XINGHAI_DIBAO = {2021: 4900, 2022: 5200, 2023: 5500, 2024: 5800, 2025: 6100, 2026: 6400}
ILLUSTRATIVE = "演示数据(示意值),非正式发布标准"
INCOME_YEARS = range(2021, 2026)
SEED = "monitoring-2026"
# 泾川县, 庄浪县 (甘肃, seed 001); 曲麻莱县, 刚察县 (青海) and 普格县 (四川), seed 002.
OTHER_COUNTIES = ("620821", "620825", "632726", "632224", "513428")

# A 1×1 PNG: the photo of a signed 承诺授权书 (the services accept real images only).
CONSENT_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
COMPARISON = {
    Source.MEDICAL: {"ok": True, "note": "参保并享受大病保险"},
    Source.CIVIL: {"ok": True, "note": "未享受低保"},
    Source.DISABILITY: {"ok": True, "note": ""},
}
# Days after a case opens on which each step is taken (a 15-day limit: decided on day 14).
STEP_DAY = {"accept": 1, "verify": 2, "compare": 4, "review": 5, "publicity": 6, "end": 12, "check": 13}
DECIDE_DAY = 14


# --- the review chain, walked through the services ------------------------------------------------


class Walk:
    """Walks one lead or elimination through the chain to `to`, each step on its day, and restamps
    its events with those days."""

    def __init__(self, case):
        self.case = case
        self.days = [case.opened_on]  # the opening event's
        self.made = None  # the monitoring object a decided lead made

    def _on(self, step: str) -> datetime.date:
        day = self.case.opened_on + STEP_DAY[step] * DAY
        self.days.append(day)
        return day

    def to(self, stage: str, *, reasons=(), **decision):
        c = self.case
        while c.stage != stage:
            v = c.version
            if c.stage == Stage.SUBMITTED and stage == Stage.REJECTED:
                day = self._on("accept")
                c = services.reject(by=None, lead=c, version=v, reasons=list(reasons))
                Lead.objects.filter(pk=c.pk).update(decided_on=day)
            elif c.stage == Stage.SUBMITTED:
                self._on("accept")
                c = services.accept(by=None, lead=c, version=v, reason="乡镇受理,转村入户核实")
            elif c.stage == Stage.ACCEPTED:
                c = services.verify(
                    by=None,
                    case=c,
                    version=v,
                    consent_signed=True,
                    consent_photo=ContentFile(CONSENT_PNG, name="consent.png"),
                    verified_on=self._on("verify"),
                    verification=decision.pop("verification", "入户核实:家庭人口、收入和支出情况属实"),
                )
            elif c.stage == Stage.VERIFIED:
                self._on("compare")
                c = services.compare(by=None, case=c, version=v, comparison=COMPARISON)
            elif c.stage == Stage.COMPARED:
                self._on("review")
                c = services.village_review(
                    by=None,
                    case=c,
                    version=v,
                    votes_for=21,
                    votes_against=1,
                    votes_abstain=2,
                    publicity_from=c.opened_on + STEP_DAY["publicity"] * DAY,
                )
            elif c.stage == Stage.PUBLICISING:
                c = services.end_publicity(by=None, case=c, version=v, on=self._on("end"))
            elif c.stage == Stage.PUBLICISED:
                c = services.township_check(by=None, case=c, version=v, approve=True, on=self._on("check"))
            elif c.stage == Stage.CHECKED:
                day = c.opened_on + DECIDE_DAY * DAY
                self.days.append(day)
                include = stage == Stage.DECIDED
                made = services.county_decide(
                    by=None, case=c, version=v, include=include, reasons=list(reasons), on=day, **decision
                )
                c = type(c).objects.get(pk=c.pk)
                self.made = made
            else:  # pragma: no cover - a target the chain cannot reach from here
                raise ValueError(f"cannot walk {c} from {c.stage} to {stage}")
        self.case = c
        self._restamp()
        return c

    def _restamp(self):
        if isinstance(self.case, Lead):
            model, events = LeadEvent, LeadEvent.objects.filter(lead=self.case)
        else:
            model, events = EliminationEvent, EliminationEvent.objects.filter(elimination=self.case)
        events = list(events.order_by("id"))
        restamp(
            model,
            [(e, moment(day, 9 + i % 8)) for i, (e, day) in enumerate(zip(events, self.days, strict=False))],
        )


# --- standards and incomes ------------------------------------------------------------------------


def _standards(provinces: set[str]) -> None:
    for province, lines in LINES.items():
        if province not in provinces:
            continue
        region = Region.objects.get(code=province)
        for year, amount in lines.items():
            services.set_monitoring_line(by=None, region=region, year=year, amount=amount, note=ILLUSTRATIVE)
    county = Region.objects.get(code=XINGHAI)
    year, amount = XINGHAI_LINE
    services.set_monitoring_line(by=None, region=county, year=year, amount=amount, note=ILLUSTRATIVE)
    for year, amount in XINGHAI_DIBAO.items():
        services.set_dibao_standard(by=None, region=county, year=year, amount=amount, note=ILLUSTRATIVE)


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _incomes(households) -> int:
    """2021–2025 for `households` that have none yet: each grown from its 2020 income (the
    generator's last year) by its own yearly rate; a few with compliant costs and insurance payouts."""
    households = [h for h in households if not YearlyIncome.objects.filter(household=h, year=2021).exists()]
    base = {i.household_id: i for i in YearlyIncome.objects.filter(household__in=households, year=2020)}
    rows = []
    for household in households:
        rng = random.Random(f"{SEED}-{household.number}")
        start = base.get(household.pk)
        people = max(household.member_count, 1)
        parts = (
            {k: Decimal(getattr(start, k)) for k in ("wages", "business", "transfers", "property", "production_costs")}
            if start
            else {"wages": Decimal(3200 * people), "business": Decimal(1500 * people), "transfers": Decimal(600 * people),
                  "property": Decimal(0), "production_costs": Decimal(500 * people)}
        )  # fmt: skip
        rate = rng.uniform(0.06, 0.115)
        sick = rng.random() < 0.07  # a long illness in the family: yearly medical costs
        for year in INCOME_YEARS:
            grow = Decimal(str((1 + rate + rng.uniform(-0.02, 0.02)) ** (year - 2020)))
            income = YearlyIncome(household=household, year=year, people=people)
            for name, amount in parts.items():
                setattr(income, name, _money(amount * grow))
            if sick:
                income.medical_costs = _money(rng.uniform(3000, 16000))
                income.insurance_payouts = _money(income.medical_costs * Decimal(str(rng.uniform(0.2, 0.5))))
            if rng.random() < 0.04:
                income.schooling_costs = _money(rng.uniform(2000, 6000))
            if year == 2022 and rng.random() < 0.05:  # the summer hail of 2022
                income.disaster_costs = _money(rng.uniform(1500, 5000))
                income.insurance_payouts += _money(income.disaster_costs / 2)
            income.compute_totals()
            rows.append(income)
    YearlyIncome.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _set_income(household, year: int, **amounts) -> YearlyIncome:
    """One household's year made to tell its story (a bill, a lost job): replaces the generated one."""
    income = YearlyIncome.objects.get(household=household, year=year)
    for name, amount in amounts.items():
        setattr(income, name, Decimal(amount))
    income.compute_totals()
    income.save()
    return income


def _check_2025(household) -> None:
    """2025's 两不愁三保障 check, as the household's flags say (all secure for the eliminated ones)."""
    members = list(household.members.all())
    LivingCheck.objects.update_or_create(
        household=household,
        year=2025,
        defaults={
            "water": household.safe_water,
            "medical": all(m.medical_insurance for m in members),
            "education": not any(m.school_status == SchoolStatus.DROPOUT for m in members),
            "housing": True,
            "checked_at": D(2025, 11, 20),
        },
    )


# --- households -----------------------------------------------------------------------------------


class Picker:
    """Households for the stories, each used once: the demo's own ones by number (paired ones first:
    they have a 帮扶责任人 and a 一户一策 plan)."""

    def __init__(self):
        self.used: set[int] = set()
        self.paired = set(Pairing.objects.filter(end=None).values_list("household_id", flat=True))

    def take(self, village: str, *, where=None, paired: bool = True) -> Household:
        households = Household.objects.filter(village_id=village).order_by("number").exclude(pk__in=self.used)
        if where is not None:
            households = households.filter(where)
        chosen = None
        if paired:
            chosen = households.filter(pk__in=self.paired).first()
        chosen = chosen or households.first()
        if chosen is not None:
            self.used.add(chosen.pk)
        return chosen

    def secure(self, village: str) -> Household:
        """A household whose flags are all secure (its 2025 check will pass)."""
        unsafe = Member.objects.filter(Q(medical_insurance=False) | Q(school_status=SchoolStatus.DROPOUT))
        return self.take(village, where=Q(safe_water=True) & ~Q(pk__in=unsafe.values("household_id")))

    def without_labour(self, village: str) -> Household:
        """整户无劳动能力: every member 丧失劳动力 or 无劳动力."""
        able = Member.objects.exclude(labour__in=[Labour.LOST, Labour.NONE]).values("household_id")
        households = Household.objects.annotate(n=Count("members")).filter(n__gt=0).exclude(pk__in=able)
        return self.take(village, where=Q(pk__in=households.values("pk")))

    def below_line(self, village: str, line: int) -> Household:
        """A household whose 2025 income per person after costs is under the monitoring line."""
        low = YearlyIncome.objects.filter(year=2025, per_capita_after_costs__lt=line).values("household_id")
        return self.take(village, where=Q(pk__in=low), paired=False)


def _free_id(area: str, born: D, male: bool, start: int) -> str:
    for sequence in range(start, start + 400):
        number = make_id_number(area_code=area, birth_date=born, sequence=sequence, male=male)
        if not Member.objects.filter(id_number_bidx=crypto.blind_index("id", number)).exists():
            return number
    raise RuntimeError("no free demo ID number")  # pragma: no cover


def _ordinary(
    village: str, head: str, born: D, *, spouse="", registered: D, cause: str, phone: str
) -> Household:
    """An ordinary rural household (一般户, never 建档立卡), registered for monitoring on `registered`,
    with its incomes since 2021."""
    household = registry.household_create(
        by=None, village_code=village, attribute="ordinary", main_cause=cause, phone=phone
    )
    registry.member_add(
        by=None, household=household, name=head, relation="head", labour=Labour.ORDINARY,
        id_number=_free_id(village[:6], born, True, 300),
    )  # fmt: skip
    if spouse:
        registry.member_add(
            by=None, household=household, name=spouse, relation="spouse", labour=Labour.ORDINARY,
            id_number=_free_id(village[:6], born + 700 * DAY, False, 300),
        )  # fmt: skip
    restamp(
        HouseholdEvent, [(e, moment(registered)) for e in HouseholdEvent.objects.filter(household=household)]
    )
    household.refresh_from_db()
    _incomes([household])
    return household


def _measure(household, kind: str, content: str, started: D, amount=None) -> None:
    """A monitoring measure added to the household's 一户一策 (its 帮扶责任人 carries it out)."""
    pairing = Pairing.objects.filter(household=household, end=None).select_related("cadre").first()
    plan, _created = Plan.objects.get_or_create(
        household=household, defaults={"summary": "纳入监测后因户施策,稳收入、防风险"}
    )
    measure = Measure.objects.create(
        plan=plan,
        type=kind,
        content=content,
        cadre=pairing.cadre if pairing else None,
        due=D(timezone.localdate().year, 12, 31),
        amount=amount,
        status="active",
    )
    events = MeasureEvent.objects.bulk_create(
        [
            MeasureEvent(measure=measure, from_status="", to_status="planned", reason="纳入监测后制定"),
            MeasureEvent(measure=measure, from_status="planned", to_status="active", reason="开始实施"),
        ]
    )
    restamp(MeasureEvent, [(events[0], moment(started)), (events[1], moment(started + 3 * DAY))])


# --- the stories --------------------------------------------------------------------------------


def _object(household, opened: D, *, channel=Channel.CADRE, risks, type_, layer, hardship: str,
            safety_net=False, disaster_kind="", **lead_fields):  # fmt: skip
    """A lead opened on `opened` and decided 14 days later: the household becomes a monitoring object."""
    lead = services.open_lead(
        by=None, channel=channel, village=household.village, opened_on=opened, household=household,
        risks=risks, disaster_kind=disaster_kind, hardship=hardship, reason=_OPENING[channel], **lead_fields,
    )  # fmt: skip
    walk = Walk(lead)
    walk.to(Stage.DECIDED, type=type_, layer=layer, safety_net=safety_net)
    return walk.made


_OPENING = {
    Channel.SELF_REPORT: "农户自主申报",
    Channel.CADRE: "干部排查发现风险",
    Channel.DEPARTMENT: "部门筛查预警",
    Channel.RULE: "系统预警",
}


def _eliminate(obj, opened: D, kind: str, note: str, *, to=Stage.DECIDED):
    elimination = services.propose_elimination(
        by=None, object=obj, kind=kind, basis={"note": note}, on=opened
    )
    return Walk(elimination).to(to)


def _lead(household, opened: D, channel: str, risks, hardship: str, *, village=None, **fields) -> Lead:
    return services.open_lead(
        by=None, channel=channel, village=village or household.village, opened_on=opened,
        household=household, risks=risks, hardship=hardship, reason=_OPENING[channel], **fields,
    )  # fmt: skip


def _medical_batch(county: str, today: D, *, hit, small, uploaded_by) -> ScreeningBatch:
    """A 医保 list (高额自付): one row over the threshold matched to a member, one under it, one unmatched."""
    batch = ScreeningBatch.objects.create(
        source=Source.MEDICAL,
        county_id=county,
        period=_period(today, 1),
        file_name="医保局_住院高额自付费用名单.xlsx",
        uploaded_by=uploaded_by,
        rows=3,
        matched=2,
        unmatched=1,
        hits=1,
    )
    stranger = make_id_number(area_code=county, birth_date=D(1968, 4, 2), sequence=499, male=True)
    rows = [
        (hit, Decimal("38600.00"), "住院个人自付医疗费用", today - 40 * DAY),
        (small, Decimal("2150.00"), "门诊慢特病个人自付", today - 35 * DAY),
        (None, Decimal("12400.00"), "住院个人自付医疗费用", today - 33 * DAY),
    ]
    for n, (member, amount, event, day) in enumerate(rows, start=2):
        ScreeningRow.objects.create(
            batch=batch,
            row_number=n,
            id_number_bidx=member.id_number_bidx if member else crypto.blind_index("id", stranger),
            name_masked=(member.name[0] if member else "马") + "*" * 2,
            member=member,
            household=member.household if member else None,
            amount=amount,
            event=event,
            event_date=day,
            values={"就诊类别": "住院" if "住院" in event else "门诊"},
        )
    return batch


def _period(today: D, months_back: int) -> str:
    """A data period ("2026-10"): the month `months_back` months before `today`'s."""
    month = today.year * 12 + today.month - 1 - months_back
    return f"{month // 12}-{month % 12 + 1:02d}"


def _rule(code: str) -> RiskRule:
    return RiskRule.objects.get(code=code)


def _xinghai(today: D, pick: Picker) -> int:
    made = 0
    t = lambda days: today - days * DAY  # noqa: E731 - a date `days` before the demo's today

    # Objects of each type, several risks and every layer (decided long enough ago to have a history).
    obj = _object(
        pick.take(MINZU), t(61), risks=[Risk.ILLNESS, Risk.JOB_INSTABILITY], type_=ObjectType.UNSTABLE,
        layer="latent_risk", hardship="户主患慢性病需长期服药,外出务工中断,收入明显下降",
    )  # fmt: skip
    _measure(obj.household, "health", "落实大病保险和医疗救助,家庭医生签约随访", t(44))
    _measure(obj.household, "employment", "推荐到县城光伏电站就近务工", t(40), amount=Decimal("2000"))
    safety = _object(
        pick.without_labour(NINGQU), t(160), risks=[Risk.NO_LABOUR, Risk.DISABILITY], type_=ObjectType.UNSTABLE,
        layer="dibao_relief", safety_net=True, hardship="老两口均无劳动能力,一人二级肢体残疾",
    )  # fmt: skip
    _measure(safety.household, "safety_net", "纳入农村低保,落实残疾人两项补贴", t(140))
    marginal = _ordinary(
        QINGGENHE,
        "更登加",
        D(1979, 6, 12),
        spouse="卓玛吉",
        registered=t(240),
        cause="schooling",
        phone="13909741001",
    )
    _set_income(marginal, 2025, schooling_costs="9800", insurance_payouts="0")
    obj = _object(
        marginal, t(95), channel=Channel.SELF_REPORT, risks=[Risk.SCHOOLING], type_=ObjectType.MARGINAL,
        layer="development", hardship="两个孩子同时读高中和大学,教育支出大,家庭收入刚过监测标准",
    )  # fmt: skip
    _measure(marginal, "education", "落实雨露计划和国家助学金", t(80), amount=Decimal("3000"))
    sudden = pick.take(NINGQU)
    _set_income(sudden, 2025, disaster_costs="16500", insurance_payouts="4000")
    _object(
        sudden, t(130), risks=[Risk.DISASTER, Risk.ACCIDENT], disaster_kind=DisasterKind.METEOROLOGICAL,
        type_=ObjectType.SUDDEN, layer="key_relief",
        hardship="冰雹毁坏青稞和饲草,户主放牧时摔伤住院",
    )  # fmt: skip
    # Ordinary households in 青根河村 only: 民族村's newest households are its secretary's to help.
    drought = _ordinary(
        QINGGENHE, "旦正", D(1984, 2, 3), registered=t(200), cause="no_funds", phone="13909741002"
    )
    _object(
        drought, t(120), risks=[Risk.DISASTER], disaster_kind=DisasterKind.DROUGHT, type_=ObjectType.MARGINAL,
        layer="latent_risk", hardship="草场连续干旱,牲畜减少,收入不稳",
    )  # fmt: skip
    made += 5

    # Eliminated (帮扶消除) after a year under assistance; and one eliminated in 2023, identified again.
    gone = pick.secure(MINZU)
    _check_2025(gone)
    obj = _object(
        gone, D(today.year - 1, 3, 10), risks=[Risk.JOB_INSTABILITY], type_=ObjectType.UNSTABLE,
        layer="development", hardship="务工地工厂停产,两名劳动力返乡",
    )  # fmt: skip
    _set_income(gone, 2025, wages="36000")
    _eliminate(obj, t(40), EliminationKind.ASSISTED, "就业帮扶后稳定务工,收入持续高于监测标准")
    again = pick.secure(NINGQU)
    _check_2025(again)
    _set_income(again, 2025, wages="30000")
    first = _object(
        again, D(2022, 5, 9), risks=[Risk.ILLNESS], type_=ObjectType.UNSTABLE, layer="latent_risk",
        hardship="户主手术后一年不能劳动",
    )  # fmt: skip
    _eliminate(first, D(2023, 11, 6), EliminationKind.NATURAL, "户主康复返岗,收入稳定")
    back = _object(
        again, t(75), channel=Channel.RULE, risks=[Risk.JOB_INSTABILITY], type_=ObjectType.UNSTABLE,
        layer="latent_risk", hardship="系统预警:收入较上年下降超过30%",
        rule=_rule("income-drop"), period=_period(today, 3),
        facts={"year": 2025, "drop_percent": 34},
    )  # fmt: skip
    # An elimination under way (自然消除), at 入户核实.
    steady = pick.secure(QINGGENHE)
    _check_2025(steady)
    _set_income(steady, 2025, wages="34000")
    obj = _object(
        steady, D(today.year - 1, 4, 2), risks=[Risk.INDUSTRY_FAILURE], type_=ObjectType.UNSTABLE,
        layer="development", hardship="合作社养殖项目亏损",
    )  # fmt: skip
    _eliminate(obj, t(3), EliminationKind.NATURAL, "合作社扭亏,分红和务工收入恢复", to=Stage.ACCEPTED)
    made += 6 if back else 5

    # A lead at every stage of the chain.
    minzu_cadre = User.objects.filter(username="cadre_minzu").first()
    own = Pairing.objects.filter(cadre__user=minzu_cadre, end=None).values("household_id")
    # 待受理: a self-report by someone not yet registered.
    waiting = services.open_lead(
        by=None, channel=Channel.SELF_REPORT, village=Region.objects.get(code=MINZU), opened_on=t(1),
        applicant_name="马福海", phone="13897123456", risks=[Risk.ILLNESS, Risk.ACCIDENT],
        id_number=make_id_number(area_code=XINGHAI, birth_date=D(1968, 4, 2), sequence=499, male=True),
        hardship="在外务工时受伤,医疗费用高,家中无其他收入来源", reason=_OPENING[Channel.SELF_REPORT],
    )  # fmt: skip
    Walk(waiting).to(Stage.SUBMITTED)
    # 不予受理: a self-report the township refused with its reasons.
    Walk(
        _lead(pick.take(NINGQU, paired=False), t(30), Channel.SELF_REPORT, [Risk.SCHOOLING],
              "孩子上大学费用高", applicant_name="", phone="13897000123")
    ).to(Stage.REJECTED, reasons=["经核实,该户家庭人均纯收入明显高于监测标准,且无大额刚性支出",
                                  "申报的教育支出已由国家助学贷款和雨露计划覆盖"])  # fmt: skip
    # 待入户核实: the cadre's 发现风险 on a visit (才让东智, one of his own households).
    visited = pick.take(MINZU, where=Q(pk__in=own))
    cadre = Cadre.objects.filter(user=minzu_cadre).first()
    Visit.objects.create(
        household=visited, cadre=cadre, visitor=minzu_cadre, visited_on=t(2), people_met="户主及其妻子",
        notes="了解家庭收入和看病情况", issues="户主今年10月因脑梗住院,自付医疗费用较多,家中主要劳动力务工中断",
    )  # fmt: skip
    if minzu_cadre is not None:
        lead = services.report_lead(
            by=minzu_cadre, household=visited, risks=[Risk.ILLNESS, Risk.JOB_INSTABILITY], opened_on=t(2),
            hardship="户主因脑梗住院,自付医疗费用较多,主要劳动力务工中断",
        )  # fmt: skip
        Walk(lead).to(Stage.ACCEPTED)
    # 待信息比对: the 医保 list's large bill, matched to a member of the household.
    billed = pick.take(NINGQU)
    county_user = User.objects.filter(username="county_xinghai").first()
    small = pick.take(QINGGENHE, paired=False)
    batch = _medical_batch(
        XINGHAI, today, hit=billed.members.order_by("id").first(), small=small.members.order_by("id").first(),
        uploaded_by=county_user,
    )  # fmt: skip
    lead = _lead(
        billed, t(5), Channel.DEPARTMENT, [Risk.ILLNESS], "医保数据:住院个人自付医疗费用38,600元,超过预警线",
        screening=batch, rule=_rule("dept-medical"), period=batch.period,
        facts={"source": Source.MEDICAL, "amount": "38600.00", "threshold": "26000.00", "row": 2},
    )  # fmt: skip
    Walk(lead).to(Stage.VERIFIED, verification="入户核实:户主住院治疗,个人自付医疗费用属实,家庭收入下降")
    # 待村级评议, past its step's deadline (orange): the rule's warning on income below the line.
    line = XINGHAI_LINE[1]
    low = pick.below_line(QINGGENHE, line)
    if low is None:  # every household above the line: one whose work stopped in 2025
        low = pick.take(QINGGENHE, paired=False)
        n = low.member_count
        _set_income(low, 2025, wages=2600 * n, business=1500 * n, transfers=900 * n, property=0,
                    production_costs=400 * n)  # fmt: skip
    income = YearlyIncome.objects.get(household=low, year=2025)
    lead = _lead(
        low, t(10), Channel.RULE, [Risk.OTHER], "系统预警:人均纯收入(扣除合规自付支出)低于监测标准",
        rule=_rule("income-below-line"), period=_period(today, 1),
        facts={"year": 2025, "per_capita_after_costs": str(income.per_capita_after_costs), "line": f"{line}.00"},
    )  # fmt: skip
    Walk(lead).to(Stage.COMPARED)
    # 村内公示中, 待乡镇审核 (民族村: 唐乃亥乡's to-do), and 待县级审定 past the decision limit (red).
    Walk(
        _lead(pick.take(NINGQU), t(7), Channel.CADRE, [Risk.DISABILITY], "家中新增一名残疾人,需长期照料")
    ).to(Stage.PUBLICISING)
    Walk(
        _lead(pick.take(MINZU), t(13), Channel.CADRE, [Risk.JOB_INSTABILITY, Risk.ILLNESS],
              "两名劳动力失业返乡,户主高血压长期服药")
    ).to(Stage.PUBLICISED)  # fmt: skip
    Walk(
        _lead(pick.take(QINGGENHE), t(20), Channel.CADRE, [Risk.ACCIDENT], "户主车祸致重伤,治疗和康复费用高")
    ).to(Stage.CHECKED)  # fmt: skip
    # 不予纳入: the county's decision not to include, with its reasons.
    Walk(
        _lead(pick.take(NINGQU, paired=False), t(40), Channel.RULE, [Risk.OTHER],
              "系统预警:人均纯收入低于监测标准", rule=_rule("income-below-line"),
              period=_period(today, 2),
              facts={"year": 2025, "note": "收入登记遗漏务工收入"})
    ).to(Stage.NOT_INCLUDED, reasons=["补录务工收入后,人均纯收入高于监测标准", "三保障和饮水安全均有保障"])  # fmt: skip
    made += 9
    return made


def _elsewhere(today: D, pick: Picker) -> int:
    """泾川县 and 庄浪县 (甘肃, seed 001), 曲麻莱县, 刚察县 and 普格县 (seed 002): a few of each."""
    villages = dict((code[:6], code) for code, _n in reversed(demo_villages()))
    t = lambda days: today - days * DAY  # noqa: E731
    made = 0
    plan = [
        ("620821", ObjectType.UNSTABLE, [Risk.ILLNESS], "key_relief", "户主尘肺病,丧失劳动能力", 80),
        ("620825", ObjectType.SUDDEN, [Risk.DISASTER], "latent_risk", "暴雨引发滑坡,房屋受损", 150),
        ("632726", ObjectType.UNSTABLE, [Risk.NO_LABOUR], "dibao_relief", "家中劳动力外出后失联", 70),
        ("632224", ObjectType.MARGINAL, [Risk.SCHOOLING], "development", "子女就读大学,教育支出大", 110),
        ("513428", ObjectType.UNSTABLE, [Risk.INDUSTRY_FAILURE], "latent_risk", "种植的花椒受冻减产", 90),
    ]
    for county, type_, risks, layer, hardship, days in plan:
        village = villages.get(county)
        if village is None:
            continue
        kind = DisasterKind.GEOLOGICAL if Risk.DISASTER in risks else ""
        _object(pick.take(village), t(days), risks=risks, type_=type_, layer=layer, hardship=hardship,
                disaster_kind=kind)  # fmt: skip
        made += 1
    # 泾川县凤凰村: a self-report waiting, a cadre's lead past its step (orange), one past the limit (red).
    fenghuang = villages.get("620821")
    if fenghuang:
        waiting = services.open_lead(
            by=None, channel=Channel.SELF_REPORT, village=Region.objects.get(code=fenghuang), opened_on=t(1),
            applicant_name="王彩霞", phone="13919330000", risks=[Risk.ILLNESS], hardship="丈夫患病住院",
            id_number=make_id_number(area_code="620821", birth_date=D(1975, 9, 9), sequence=498, male=False),
            reason=_OPENING[Channel.SELF_REPORT],
        )  # fmt: skip
        Walk(waiting).to(Stage.SUBMITTED)
        Walk(_lead(pick.take(fenghuang), t(9), Channel.CADRE, [Risk.JOB_INSTABILITY], "务工收入中断")).to(
            Stage.ACCEPTED
        )
        Walk(_lead(pick.take(fenghuang), t(18), Channel.CADRE, [Risk.ILLNESS], "慢性病支出大")).to(
            Stage.CHECKED
        )
        made += 3
    for county in ("632726", "513428"):
        village = villages.get(county)
        if village:
            Walk(_lead(pick.take(village), t(4), Channel.CADRE, [Risk.ACCIDENT], "意外受伤")).to(
                Stage.VERIFIED
            )
            made += 1
    return made


def _quality(counties) -> int:
    """The national data-quality checks over the demo counties (as the nightly job runs them)."""
    return sum(quality.run_checks(county_code=code) for code in counties)


def build_monitoring() -> int:
    """The monitoring demo; 0 when 兴海县 already has leads (or its villages are missing)."""
    if not Region.objects.filter(code__in=[MINZU, NINGQU, QINGGENHE]).count() == 3:
        return 0
    if Lead.objects.filter(village_id__in=[MINZU, NINGQU, QINGGENHE]).exists():
        return 0
    today = timezone.localdate()
    _standards(set(LINES))
    # Incomes since 2021: every household of 兴海县, and of the other counties' villages with records.
    villages = [code for code, _n in demo_villages() if code[:6] in OTHER_COUNTIES]
    _incomes(Household.objects.filter(Q(village__code__startswith=XINGHAI) | Q(village_id__in=villages)))
    pick = Picker()
    made = _xinghai(today, pick) + _elsewhere(today, pick)
    return made + _quality([XINGHAI, *OTHER_COUNTIES])
