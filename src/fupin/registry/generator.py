"""Synthetic registry data on real village codes, for the demo, tests and benchmarks.

`generate_households(...)` yields plain dicts (household, members, incomes, checks) with plaintext
values: valid ID numbers on the county's area code (birth date by relation, sex parity, check
digit), unique within a run by construction — person n of a (county, birth year) gets day
(n·97 mod 365) and sequence n // 365, so no set of issued numbers is kept and memory stays flat
at ten million people. Incomes rise over the years so that most households exit between 2016
and 2019; statuses and exit years agree with the poverty lines (an exit year's per-capita income
is above that year's line and its check passes; earlier years are below the line).

`generate_member_rows(...)` flattens that into one dict per member (household columns repeated),
the shape of the national collection form, for CSV benchmarks. `write_generated(...)` stores the
dicts in batches: bulk_create on SQLite, COPY on PostgreSQL.
"""

import datetime
import random
from collections.abc import Callable, Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, connections, transaction
from django.db.models import DateField, JSONField, Max
from django.utils import timezone

from fupin.regions.models import Region
from fupin.regions.names import initials_of
from fupin.registry.choices import (
    Attribute,
    Cause,
    Education,
    Health,
    HousingStructure,
    Labour,
    Relation,
    SchoolStatus,
    Status,
    WorkStatus,
)
from fupin.registry.idnumbers import check_digit
from fupin.registry.models import Household, HouseholdEvent, LivingCheck, Member, YearlyIncome

# Poverty lines as the seed migration has them; the writer never needs the database for these.
DEFAULT_LINES = {2014: 2736, 2015: 2800, 2016: 2855, 2017: 3026, 2018: 3535, 2019: 3747, 2020: 4000}
REFERENCE_YEAR = 2020  # ages are reckoned as of the end of the poverty-alleviation campaign

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
# Weight the most common surnames up (王 李 张 刘 陈 cover about a third of the population).
SURNAME_WEIGHTS = [8, 8, 7, 6, 5, 3, 2, 2, 2, 2, *([1] * (len(SURNAMES) - 10))]
MALE_CHARS = "伟强军平东明志勇杰涛斌超刚辉鹏华建国文德福贵生海林成忠永兵宏亮红旭峰俊"
FEMALE_CHARS = "芳娟霞梅兰英秀玲燕丽萍红艳琴桂珍凤花翠玉莲静敏霞琳雪娥春慧"
TIBETAN_MALE = (
    "才让",
    "多杰",
    "扎西",
    "旦正",
    "索南",
    "尼玛",
    "更登",
    "南加",
    "仁青",
    "完玛",
    "东智",
    "加措",
    "公保",
)
TIBETAN_FEMALE = ("卓玛", "拉毛", "措吉", "德吉", "央金", "才措", "拉姆", "卓嘎", "吉毛", "桑吉", "完么")

ATTRIBUTE_WEIGHTS = {
    Attribute.ORDINARY: 70,
    Attribute.DIBAO: 14,
    Attribute.DIBAO_POOR: 11,
    Attribute.TEKUN: 5,
}
# Roughly the 2015 national shares of main causes (因病 about 42%, 缺资金 and 缺技术 next).
CAUSE_WEIGHTS = {
    Cause.ILLNESS: 40,
    Cause.NO_FUNDS: 16,
    Cause.NO_SKILLS: 12,
    Cause.NO_LABOUR: 9,
    Cause.SCHOOLING: 6,
    Cause.DISABILITY: 6,
    Cause.DISASTER: 3,
    Cause.NO_LAND: 2,
    Cause.NO_WATER: 2,
    Cause.TRANSPORT: 2,
    Cause.NO_DRIVE: 1,
    Cause.OTHER: 1,
}
# The year a household exits (None: still poor at the end). Most exit in 2016-2019.
EXIT_WEIGHTS = {2015: 4, 2016: 18, 2017: 24, 2018: 25, 2019: 18, 2020: 8, None: 1.5}
RETURN_SHARE = 0.01
CHECK_FAILURES = {
    "housing": "住房为危房",
    "medical": "未参加基本医疗保险",
    "water": "饮水不安全",
    "education": "有义务教育阶段辍学",
}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Ids:
    """Unique ID numbers per (area, birth year) without remembering the numbers issued."""

    def __init__(self, seed: int):
        self.counters: dict[tuple[str, int], int] = {}
        self.start = (seed * 7919) % 50000

    def issue(self, area: str, year: int, male: bool, today: datetime.date) -> tuple[str, datetime.date]:
        key = (area, year)
        n = self.counters.get(key, self.start)
        while True:
            self.counters[key] = n + 1
            birth = datetime.date(year, 1, 1) + datetime.timedelta(days=(n * 97) % 365)
            if birth <= today:
                break
            n += 1
        order = ((n // 365) % 500) * 2 + (1 if male else 0)
        body = f"{area}{birth:%Y%m%d}{order:03d}"
        return body + check_digit(body), birth


def _name(rng: random.Random, *, male: bool, surname: str, tibetan: bool) -> str:
    if tibetan:
        first = rng.choice(TIBETAN_MALE if male else TIBETAN_FEMALE)
        second = rng.choice(TIBETAN_MALE if male and rng.random() < 0.6 else TIBETAN_FEMALE + TIBETAN_MALE)
        return first + second if rng.random() < 0.7 and second != first else first
    chars = MALE_CHARS if male else FEMALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return surname + given


def _composition(rng: random.Random, attribute: str) -> list[tuple[str, int, bool]]:
    """(relation, age, male) of each member, head first."""
    if attribute == Attribute.TEKUN:
        return [(Relation.HEAD, rng.randint(62, 88), rng.random() < 0.7)]
    head_male = rng.random() < 0.85
    head_age = rng.randint(28, 78)
    people = [(Relation.HEAD, head_age, head_male)]
    if rng.random() < 0.85:
        people.append((Relation.SPOUSE, max(20, head_age + rng.randint(-5, 3)), not head_male))
    if head_age < 62:
        for _ in range(rng.choices([0, 1, 2, 3, 4], weights=[8, 25, 40, 20, 7])[0]):
            male = rng.random() < 0.52
            age = max(0, head_age - rng.randint(20, 34))
            people.append((Relation.SON if male else Relation.DAUGHTER, age, male))
        if head_age < 50 and rng.random() < 0.3:
            male = rng.random() < 0.4
            people.append(
                (Relation.FATHER if male else Relation.MOTHER, head_age + rng.randint(22, 32), male)
            )
    else:
        if rng.random() < 0.6:
            son_age = head_age - rng.randint(22, 32)
            people.append((Relation.SON, son_age, True))
            if rng.random() < 0.7:
                people.append((Relation.DAUGHTER_IN_LAW, son_age + rng.randint(-4, 2), False))
            for _ in range(rng.choices([0, 1, 2, 3], weights=[20, 40, 30, 10])[0]):
                male = rng.random() < 0.52
                people.append(
                    (
                        Relation.GRANDSON if male else Relation.GRANDDAUGHTER,
                        max(0, son_age - rng.randint(20, 30)),
                        male,
                    )
                )
    return people[:8]


def _school(age: int) -> tuple[str, str]:
    """(education, school status) by age."""
    if age < 3:
        return Education.PRESCHOOL, SchoolStatus.NONE
    if age < 6:
        return Education.PRESCHOOL, SchoolStatus.PRESCHOOL
    if age < 12:
        return Education.PRIMARY, SchoolStatus.PRIMARY
    if age < 15:
        return Education.PRIMARY, SchoolStatus.JUNIOR
    if age < 18:
        return Education.JUNIOR, SchoolStatus.SENIOR
    if age > 60:
        return Education.ILLITERATE, SchoolStatus.NONE
    return Education.JUNIOR if age < 45 else Education.PRIMARY, SchoolStatus.NONE


def _split(rng: random.Random, net: Decimal) -> dict[str, Decimal]:
    """Income components whose net (sum minus production costs) is exactly `net`."""
    costs = (net * Decimal(rng.uniform(0.05, 0.15))).quantize(Decimal("1"))
    gross = net + costs
    wages = (gross * Decimal(rng.uniform(0.45, 0.65))).quantize(Decimal("1"))
    business = (gross * Decimal(rng.uniform(0.15, 0.3))).quantize(Decimal("1"))
    prop = (gross * Decimal(rng.uniform(0, 0.04))).quantize(Decimal("1"))
    transfers = gross - wages - business - prop
    return {
        "wages": wages,
        "business": business,
        "transfers": transfers,
        "property": prop,
        "production_costs": costs,
    }


def generate_households(
    *,
    villages: list[str],
    households: int,
    seed: int = 1,
    years: tuple[int, int] = (2014, 2020),
    lines: dict[int, int] | None = None,
    numbers_from: dict[str, int] | None = None,
    today: datetime.date | None = None,
) -> Iterator[dict]:
    """Yield `households` dicts spread evenly over `villages` (12-digit codes).

    Each: {"number", "village_code", "group_name", "attribute", "main_cause", "cause2", "cause3",
    "phone", "bank_name", "bank_account", "housing_*", "relocated", "safe_water", "electricity",
    "status", "exit_year", "members": [{"name", "id_number", "sex", "birth_date", "relation",
    "ethnicity", "education", "school_status", "health", "disability", "labour", "work_status",
    "months_worked", "dibao", "medical_insurance", "pension_insurance"}],
    "incomes": [{"year", "wages", "business", "transfers", "property", "production_costs"}],
    "checks": [{"year", "results": {item: bool}, "reasons": {item: str}}]}.
    `numbers_from` gives the next household sequence per village (default 1).
    """
    if not villages:
        return
    rng = random.Random(seed)
    lines = lines or DEFAULT_LINES
    first, last = years
    year_range = [y for y in range(first, last + 1)]
    today = today or datetime.date.today()  # noqa: DTZ011 - a calendar date, no time zone involved
    ids = _Ids(seed)
    sequences = dict(numbers_from or {})
    for i in range(households):
        village = villages[i % len(villages)]
        area = village[:6]
        seq = sequences.get(village, 1)
        sequences[village] = seq + 1
        tibetan = area[:2] == "54" or (area[:2] == "63" and rng.random() < 0.65)
        hui = not tibetan and area[:2] in ("62", "63", "64") and rng.random() < 0.12
        ethnicity = "藏族" if tibetan else ("回族" if hui else "汉族")
        surname = rng.choice("马马马韩冶") if hui else rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
        attribute = _pick(rng, ATTRIBUTE_WEIGHTS)
        main_cause = _pick(rng, CAUSE_WEIGHTS)
        others = [c for c in CAUSE_WEIGHTS if c != main_cause]
        extra = rng.sample(others, rng.choices([0, 1, 2], weights=[45, 40, 15])[0])
        members = []
        for relation, age, male in _composition(rng, attribute):
            birth_year = max(1900, REFERENCE_YEAR - age)
            id_number, birth = ids.issue(area, birth_year, male, today)
            health = Health.HEALTHY
            roll = rng.random()
            sick_bias = (
                0.25 if main_cause in (Cause.ILLNESS, Cause.DISABILITY) and relation == Relation.HEAD else 0
            )
            if roll < 0.08 + sick_bias:
                health = Health.CHRONIC if main_cause != Cause.DISABILITY else Health.DISABLED
            elif roll < 0.11 + sick_bias:
                health = Health.SERIOUS
            elif roll < 0.14 + sick_bias:
                health = Health.DISABLED
            education, school = _school(age)
            adult = 18 <= age < 65
            working = adult and health == Health.HEALTHY and rng.random() < 0.55
            members.append(
                {
                    "name": _name(
                        rng,
                        male=male,
                        surname=surname if relation in _BLOOD else _surname(rng, hui),
                        tibetan=tibetan,
                    ),
                    "id_number": id_number,
                    "sex": "M" if male else "F",
                    "birth_date": birth,
                    "relation": relation,
                    "ethnicity": ethnicity,
                    "education": education,
                    "school_status": school,
                    "health": health,
                    "disability": rng.choice(["肢体残疾三级", "视力残疾二级", "听力残疾四级"])
                    if health == Health.DISABLED
                    else "",
                    "labour": (Labour.SKILLED if rng.random() < 0.15 else Labour.ORDINARY)
                    if adult and health in (Health.HEALTHY, Health.CHRONIC)
                    else (Labour.LOST if adult else Labour.NONE),
                    "work_status": rng.choice(
                        [WorkStatus.IN_COUNTY, WorkStatus.IN_PROVINCE, WorkStatus.OUT_PROVINCE]
                    )
                    if working
                    else WorkStatus.NONE,
                    "months_worked": rng.randint(3, 11) if working else 0,
                    "dibao": attribute in (Attribute.DIBAO, Attribute.DIBAO_POOR),
                    "medical_insurance": rng.random() < 0.97,
                    "pension_insurance": age >= 16 and rng.random() < 0.7,
                }
            )
        people = len(members)
        exit_year = _pick(rng, EXIT_WEIGHTS)
        if exit_year is not None and exit_year not in year_range:
            exit_year = None if exit_year > last else max(first, exit_year)
        returned_year = None
        if exit_year is not None and exit_year < last and rng.random() < RETURN_SHARE:
            returned_year = rng.randint(exit_year + 1, last)
        incomes, checks = [], []
        for year in year_range:
            line = Decimal(lines.get(year, lines[max(lines)]))
            out = (
                exit_year is not None and year >= exit_year and not (returned_year and year >= returned_year)
            )
            factor = (
                Decimal(rng.uniform(1.12, 1.6) + 0.05 * (year - (exit_year or year)))
                if out
                else Decimal(rng.uniform(0.55, 0.93))
            )
            per_capita = (line * factor).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
            incomes.append({"year": year, **_split(rng, per_capita * people)})
            results = dict.fromkeys(CHECK_FAILURES, True) | {"food": True, "clothing": True}
            reasons = {}
            if not out and rng.random() < 0.5:
                item = rng.choice(list(CHECK_FAILURES))
                if item == "education" and not _pupils(members, year):
                    item = "housing"  # a dropout needs a child of compulsory-school age that year
                results[item] = False
                reasons[item] = CHECK_FAILURES[item]
            checks.append({"year": year, "results": results, "reasons": reasons})
        _agree_with_check(members, checks[-1]["results"] if checks else {}, last)
        if exit_year is None:
            status = Status.POOR
        elif returned_year is not None:
            status = Status.RETURNED
        else:
            status = Status.EXITED
        structure = rng.choice(list(HousingStructure.values))
        yield {
            "number": f"{village}{seq:05d}",
            "village_code": village,
            "group_name": f"{rng.randint(1, 8)}社",
            "attribute": attribute,
            "main_cause": main_cause,
            "cause2": extra[0] if extra else "",
            "cause3": extra[1] if len(extra) > 1 else "",
            "phone": _phone(rng) if rng.random() < 0.85 else "",
            "bank_name": rng.choice(["中国农业银行", "农村信用合作社", "中国邮政储蓄银行", "农村商业银行"]),
            "bank_account": "".join(str(rng.randint(0, 9)) for _ in range(19)),
            "housing_area": Decimal(rng.randint(40, 160)),
            "housing_structure": structure,
            "housing_year": rng.randint(1975, 2019),
            "relocated": rng.random() < 0.08,
            # The household's current flags are what its latest check found (no 饮水安全 header
            # over a 饮水不安全 check).
            "safe_water": checks[-1]["results"]["water"] if checks else True,
            "electricity": True,
            "status": status,
            "exit_year": exit_year,
            "returned_year": returned_year,
            "members": members,
            "incomes": incomes,
            "checks": checks,
        }


def _pupils(members: list[dict], year: int) -> list[dict]:
    """Members of compulsory-school age (6 to 15) in `year`."""
    return [m for m in members if 6 <= year - m["birth_date"].year <= 15]


def _agree_with_check(members: list[dict], results: dict, year: int) -> None:
    """Members' current insurance and schooling say what the latest check found: a failed 医疗
    check leaves the head uninsured and a passed one everyone insured; a failed 教育 check is a
    dropout of compulsory-school age, a passed one none. No random draw, so the stream is unchanged."""
    if not members or not results:
        return
    for member in members:
        member["medical_insurance"] = member["medical_insurance"] or results.get("medical", True)
        if member["school_status"] == SchoolStatus.DROPOUT and results.get("education", True):
            member["school_status"] = _school(year - member["birth_date"].year)[1]
    if not results.get("medical", True):
        members[0]["medical_insurance"] = False
    if not results.get("education", True):
        _pupils(members, year)[0]["school_status"] = SchoolStatus.DROPOUT


_BLOOD = frozenset(
    {
        Relation.HEAD,
        Relation.SON,
        Relation.DAUGHTER,
        Relation.GRANDSON,
        Relation.GRANDDAUGHTER,
        Relation.FATHER,
    }
)


def _surname(rng: random.Random, hui: bool) -> str:
    return rng.choice("马韩冶丁") if hui else rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]


def _phone(rng: random.Random) -> str:
    prefix = rng.choice(
        ["138", "139", "137", "136", "150", "151", "152", "158", "187", "188", "133", "189", "177"]
    )
    return prefix + f"{rng.randint(0, 99999999):08d}"


MEMBER_ROW_COLUMNS = (
    "number",
    "village_code",
    "group_name",
    "attribute",
    "main_cause",
    "cause2",
    "cause3",
    "phone",
    "bank_name",
    "bank_account",
    "housing_area",
    "housing_structure",
    "housing_year",
    "relocated",
    "safe_water",
    "electricity",
    "name",
    "id_number",
    "sex",
    "birth_date",
    "relation",
    "ethnicity",
    "education",
    "school_status",
    "health",
    "disability",
    "labour",
    "work_status",
    "months_worked",
    "dibao",
    "medical_insurance",
    "pension_insurance",
)


def generate_member_rows(**kwargs) -> Iterator[dict]:
    """One flat dict per member (MEMBER_ROW_COLUMNS: household columns repeated), same arguments
    as `generate_households`. Incomes and checks are left out (they are per household and year)."""
    for household in generate_households(**kwargs):
        head = {k: household[k] for k in MEMBER_ROW_COLUMNS[:16]}
        for member in household["members"]:
            yield head | member


def write_generated(
    households: Iterable[dict],
    *,
    batch_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Store generated households (with members, incomes, checks and their history); returns
    (households, members) written. Batches; COPY on PostgreSQL, bulk_create elsewhere.
    Numbers or persons already registered are skipped (re-running never fails)."""
    done_households = done_members = 0
    batch: list[dict] = []
    for household in households:
        batch.append(household)
        if len(batch) >= batch_size:
            h, m = write_batch(batch)
            done_households, done_members = done_households + h, done_members + m
            batch = []
            if progress:
                progress(done_households, done_members)
    if batch:
        h, m = write_batch(batch)
        done_households, done_members = done_households + h, done_members + m
        if progress:
            progress(done_households, done_members)
    return done_households, done_members


# --- storing ---------------------------------------------------------------------------------------


def _household_objects(data: dict):
    household = Household(
        number=data["number"],
        village_id=data["village_code"],
        **{k: data[k] for k in _HOUSEHOLD_PLAIN},
        member_count=len(data["members"]),
        head_name=data["members"][0]["name"],
    )
    if data["phone"]:
        household.set_phone(data["phone"])
    if data["bank_account"]:
        household.set_bank_account(data["bank_account"])
    members = []
    for m in data["members"]:
        member = Member(**{k: m[k] for k in _MEMBER_PLAIN}, name_initials=initials_of(m["name"])[:50])
        member.set_id_number(m["id_number"])
        member.set_health(m["health"])
        if m["disability"]:
            member.set_disability(m["disability"])
        members.append(member)
    incomes = []
    for row in data["incomes"]:
        income = YearlyIncome(people=len(members), **row)
        income.compute_totals()
        incomes.append(income)
    checks = [
        LivingCheck(
            year=c["year"], reasons=c["reasons"], checked_at=datetime.date(c["year"], 12, 1), **c["results"]
        )
        for c in data["checks"]
    ]
    first = data["incomes"][0]["year"] if data["incomes"] else REFERENCE_YEAR
    events = [
        HouseholdEvent(
            action="identify",
            from_status=Status.REGISTERED,
            to_status=Status.POOR,
            reason=f"{first}年识别为贫困户(生成数据)",
            at=event_time(data["village_code"], "identify", first),
        )
    ]
    if data["exit_year"]:
        events.append(
            HouseholdEvent(
                action="exit_approve",
                from_status=Status.POOR,
                to_status=Status.EXITED,
                reason=f"{data['exit_year']}年脱贫(生成数据)",
                at=event_time(data["village_code"], "exit_approve", data["exit_year"]),
            )
        )
    if data.get("returned_year"):
        events.append(
            HouseholdEvent(
                action="return",
                from_status=Status.EXITED,
                to_status=Status.RETURNED,
                reason=f"{data['returned_year']}年返贫(生成数据)",
                at=event_time(data["village_code"], "return", data["returned_year"]),
            )
        )
    return household, members, incomes, checks, events


# When a village's households went through each step of a year: identification in the 建档立卡
# campaign (May to September), exit approval after the year's 两不愁三保障 check (1 December),
# return to poverty in the summer. One day per village and step, as villages are reviewed together.
_EVENT_WINDOWS = {"identify": ((5, 1), 150), "exit_approve": ((12, 5), 20), "return": ((7, 1), 60)}


def event_time(village: str, action: str, year: int) -> datetime.datetime:
    """The moment a generated status event records (not when it was written): see _EVENT_WINDOWS."""
    (month, day), days = _EVENT_WINDOWS[action]
    on = datetime.date(year, month, day) + datetime.timedelta(days=int(village[-5:]) * 7 % days)
    return timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))


def _keep_event_times(times: list, written: list) -> None:
    """bulk_create stamps auto_now_add columns with the current time; put back the time each
    generated event records, one UPDATE per distinct time (a few per village)."""
    by_time: dict = {}
    for event, at in zip(written, times, strict=True):
        by_time.setdefault(at, []).append(event.pk)
    for at, pks in by_time.items():
        HouseholdEvent._base_manager.filter(pk__in=pks).update(at=at)


_HOUSEHOLD_PLAIN = (
    "group_name",
    "attribute",
    "main_cause",
    "cause2",
    "cause3",
    "bank_name",
    "housing_area",
    "housing_structure",
    "housing_year",
    "relocated",
    "safe_water",
    "electricity",
    "status",
    "exit_year",
)
_MEMBER_PLAIN = (  # the birth date is not stored: set_id_number keeps the year
    "name",
    "sex",
    "relation",
    "ethnicity",
    "education",
    "school_status",
    "labour",
    "work_status",
    "months_worked",
    "dibao",
    "medical_insurance",
    "pension_insurance",
)


def write_batch(batch: list[dict]) -> tuple[int, int]:
    """Store one batch in one transaction; skips numbers and persons already registered."""
    built = [_household_objects(data) for data in batch]
    numbers = {h.number for h, *_rest in built}
    taken_numbers = set(Household._base_manager.filter(number__in=numbers).values_list("number", flat=True))
    bidx = [m.id_number_bidx for _h, members, *_rest in built for m in members]
    taken_people = set(
        Member._base_manager.filter(id_number_bidx__in=bidx).values_list("id_number_bidx", flat=True)
    )
    built = [
        b
        for b in built
        if b[0].number not in taken_numbers and not any(m.id_number_bidx in taken_people for m in b[1])
    ]
    if not built:
        return 0, 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _copy_batch(built, connection)
        else:
            _bulk_batch(built)
    return len(built), sum(len(b[1]) for b in built)


def _link(built) -> tuple[list, list, list, list]:
    members, incomes, checks, events = [], [], [], []
    for household, ms, ins, cs, es in built:
        for group, out in ((ms, members), (ins, incomes), (cs, checks), (es, events)):
            for obj in group:
                obj.household = household
                out.append(obj)
    return members, incomes, checks, events


def _bulk_batch(built) -> None:
    Household.objects.bulk_create([b[0] for b in built])
    members, incomes, checks, events = _link(built)
    Member.objects.bulk_create(members, batch_size=500)
    YearlyIncome.objects.bulk_create(incomes, batch_size=500)
    LivingCheck.objects.bulk_create(checks, batch_size=500)
    times = [event.at for event in events]
    _keep_event_times(times, HouseholdEvent.objects.bulk_create(events, batch_size=500))


def _copy_batch(built, connection) -> None:
    households = [b[0] for b in built]
    table = Household._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(households)],
        )
        for household, (pk,) in zip(households, cursor.fetchall(), strict=True):
            household.pk = pk
    members, incomes, checks, events = _link(built)
    for model, objs, with_pk in (
        (Household, households, True),
        (Member, members, False),
        (YearlyIncome, incomes, False),
        (LivingCheck, checks, False),
        (HouseholdEvent, events, False),
    ):
        _copy(connection, model, objs, with_pk=with_pk)


def _copy(connection, model, objs, *, with_pk: bool) -> None:
    connection = connections[connection.alias]  # the real wrapper, not the per-call proxy
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"  # noqa: S608
    # psycopg adapts str, int, Decimal, date, datetime, bool and None itself; only JSON and the
    # auto_now columns need Django's preparation (get_db_prep_save per value was 60% of the time).
    getters = []
    for f in fields:
        if isinstance(f, DateField) and (f.auto_now or f.auto_now_add):
            # A time the generator set (the date a status event records) is kept.
            getters.append(lambda obj, f=f: getattr(obj, f.attname) or f.pre_save(obj, add=True))
        elif isinstance(f, JSONField):
            getters.append(lambda obj, f=f: f.get_db_prep_save(getattr(obj, f.attname), connection))
        else:
            getters.append(lambda obj, name=f.attname: getattr(obj, name))
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            copy.write_row([get(obj) for get in getters])


def next_numbers(villages: list[str]) -> dict[str, int]:
    """The next household sequence of each village (one query), so new numbers follow existing ones."""
    rows = (
        Household._base_manager.filter(village_id__in=villages, number__regex=r"^\d{17}$")
        .values("village_id")
        .annotate(last=Max("number"))
    )
    return {row["village_id"]: int(row["last"][12:]) + 1 for row in rows}


# 统计用区划代码: the last three digits of a village-level code are 001–199 for a 居民委员会 (urban
# 社区) and 200–399 for a 村民委员会; a few 村委会 were renamed 社区, so the name is checked too.
URBAN_NAMES = ("社区", "居委", "居民委员")


def is_village_committee(code: str, name: str) -> bool:
    """A 村民委员会 (rural village), where registered poor households live; not an urban 社区/居委会."""
    return len(code) == 12 and "200" <= code[9:] <= "399" and not any(w in name for w in URBAN_NAMES)


def village_committees(prefix: str, count: int | None = None) -> list[str]:
    """Codes of the 村民委员会 under a division code, in code order (the first `count`)."""
    rows = (
        Region.objects.filter(code__startswith=prefix, level=Region.Level.VILLAGE)
        .order_by("code")
        .values_list("code", "name")
    )
    codes = [code for code, name in rows.iterator() if is_village_committee(code, name)]
    return codes if count is None else codes[:count]
