"""Demo households (建档立卡) on the seeds' villages, with members, incomes and checks for 2014–2020.

Built by the registry generator, so the numbers are valid and statuses agree with the poverty
lines. Households live in 村民委员会 (rural villages), never in an urban 社区/居委会: the villages
the seeds name, then the first 村民委员会 of each county by code. Idempotent: a village that already
has households is skipped.
"""

from django.db.models import Sum

from fupin.regions.models import Region
from fupin.registry.generator import generate_households, next_numbers, village_committees, write_generated
from fupin.registry.models import Household, VillagePopulation
from fupin.registry.services import village_population_set

# 兴海县's three villages (the ones 大唐 assists), by name in the notes of seed 000.
XINGHAI_VILLAGES = ("632524203207", "632524101206", "632524100202")
# Seed 001 names 泾川县城关镇凤凰村 and 庄浪县水洛镇吊沟村: their households are part of the story.
GANSU_VILLAGES = ("620821100206", "620825100216")
# Seed 001 (甘肃) and seed 002 counties: the first villages of each, by code.
GANSU_COUNTIES = ("620821", "620825", "621227", "620826", "621102", "620924", "620802", "620822")
SEED_002_COUNTIES = ("540623", "632726", "632224", "513428", "513429", "140623", "150429", "610827", "610829")
# Seed 003: China Gold's 新蔡县 and 贞丰县.
SEED_003_COUNTIES = ("411729", "522325")

PER_XINGHAI_VILLAGE = 400
PER_OTHER_VILLAGE = 200
SEED = 2016


def demo_villages() -> list[tuple[str, int]]:
    """(village code, households) for every demo village present in the loaded divisions."""
    plan = [(code, PER_XINGHAI_VILLAGE) for code in XINGHAI_VILLAGES]
    for county in GANSU_COUNTIES:
        named = [code for code in GANSU_VILLAGES if code.startswith(county)]
        others = [code for code in village_committees(county, 2) if code not in named]
        plan += [(code, PER_OTHER_VILLAGE) for code in (named + others)[:2]]
    for county in SEED_002_COUNTIES + SEED_003_COUNTIES:
        plan += [(code, PER_OTHER_VILLAGE) for code in village_committees(county, 1)]
    present = set(Region.objects.filter(code__in=[c for c, _n in plan]).values_list("code", flat=True))
    return [(code, n) for code, n in plan if code in present]


def build_registry() -> int:
    """Households in the demo villages that have none yet; returns the number of households made."""
    plan = demo_villages()
    filled = set(
        Household._base_manager.filter(village_id__in=[c for c, _n in plan])
        .values_list("village_id", flat=True)
        .distinct()
    )
    todo = [(code, n) for code, n in plan if code not in filled]
    if not todo:
        build_populations()  # a demo built before the populations were part of it gets them too
        return 0
    # One run over every village (a village listed twice gets twice the households, round-robin),
    # so ID numbers are unique by construction across villages of the same county.
    unit = min(n for _c, n in todo)
    villages = [code for code, n in todo for _ in range(n // unit)]
    rows = generate_households(
        villages=villages,
        households=sum(n for _c, n in todo),
        seed=SEED,
        numbers_from=next_numbers([code for code, _n in todo]),
    )
    made = write_generated(rows)[0]
    build_populations()
    return made


# The years of the generated statuses (generator: 2014–2020); 农村户籍人口 for each of them.
POPULATION_YEARS = range(2014, 2021)


def build_populations() -> int:
    """农村户籍人口 of every demo village for the generated years (贫困发生率's denominator):
    plausible against its registered households — a demo village registers every household that
    was ever poor, 35–45% of its rural population — and falling a little each year (people move
    to the towns). Idempotent: the service replaces a village's figure for a year."""
    registered = dict(
        Household._base_manager.filter(village_id__in=[code for code, _n in demo_villages()])
        .values("village_id")
        .annotate(people=Sum("member_count"))
        .values_list("village_id", "people")
    )
    kept = {
        (code, year): population
        for code, year, population in VillagePopulation._base_manager.filter(
            village_id__in=list(registered)
        ).values_list("village_id", "year", "population")
    }
    made = 0
    for code, people in sorted(registered.items()):
        if not people:
            continue
        share = 35 + int(code[-3:]) % 11  # per cent of the 2020 population ever registered
        latest = people * 100 // share
        for year in POPULATION_YEARS:
            population = latest * (1000 + 6 * (2020 - year)) // 1000
            if kept.get((code, year)) == population:
                continue  # a second run writes (and audits) nothing
            village_population_set(
                by=None,
                village_code=code,
                year=year,
                population=population,
                source="乡镇派出所户籍统计(演示)",
            )
            made += 1
    return made
