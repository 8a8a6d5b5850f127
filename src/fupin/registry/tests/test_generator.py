from decimal import Decimal

from django.core.management import call_command

from fupin.core import crypto
from fupin.registry.generator import DEFAULT_LINES, generate_households, generate_member_rows
from fupin.registry.idnumbers import parse_id_number
from fupin.registry.models import Household, Member
from fupin.testing import MINZU_VILLAGE


def test_it_generates_valid_unique_ids_consistent_with_the_members():
    """Every number parses, is unique, is on the county's area code and agrees with sex and birth."""
    seen = set()
    for household in generate_households(villages=[MINZU_VILLAGE, "620821100206"], households=800, seed=3):
        assert sum(m["relation"] == "head" for m in household["members"]) == 1
        for member in household["members"]:
            parsed = parse_id_number(member["id_number"])
            assert parsed.area_code == household["village_code"][:6]
            assert (parsed.sex, parsed.birth_date) == (member["sex"], member["birth_date"])
            seen.add(parsed.value)
    assert len(seen) == sum(
        len(h["members"])
        for h in generate_households(villages=[MINZU_VILLAGE, "620821100206"], households=800, seed=3)
    )


def test_it_keeps_statuses_consistent_with_the_poverty_lines():
    """Exited households are above the line with checks passed from their exit year, below before it."""
    for household in generate_households(villages=[MINZU_VILLAGE], households=300, seed=5):
        people = len(household["members"])
        exit_year = household["exit_year"]
        for income, check in zip(household["incomes"], household["checks"], strict=True):
            net = (
                sum(income[k] for k in ("wages", "business", "transfers", "property"))
                - income["production_costs"]
            )
            per_capita = net / people
            out = exit_year is not None and income["year"] >= exit_year
            if household["status"] == "exited" and out:
                assert per_capita > DEFAULT_LINES[income["year"]] and all(check["results"].values())
            if exit_year is None or income["year"] < exit_year:
                assert per_capita < DEFAULT_LINES[income["year"]]
        assert (household["status"] == "poor") == (exit_year is None)


def test_it_flattens_members_into_rows():
    """One flat row per member with the household columns repeated."""
    rows = list(generate_member_rows(villages=[MINZU_VILLAGE], households=5, seed=1))
    assert len(rows) == sum(
        len(h["members"]) for h in generate_households(villages=[MINZU_VILLAGE], households=5, seed=1)
    )
    assert {"number", "village_code", "id_number", "name", "relation"} <= set(rows[0])


def test_it_writes_in_batches_and_skips_what_exists(cast, capsys):
    """`fupin generate` stores households with encrypted members; a second run adds new numbers only."""
    call_command("generate", villages=MINZU_VILLAGE, households=30, seed=9, batch_size=7)
    assert Household.objects.count() == 30
    out = capsys.readouterr().out
    assert "已写入" in out and "完成" in out
    household = Household.objects.filter(status="exited").first()
    assert household.incomes.count() == 7 and household.checks.count() == 7
    income = household.incomes.get(year=household.exit_year)
    assert income.per_capita > Decimal(DEFAULT_LINES[household.exit_year])
    member = Member.objects.first()
    assert parse_id_number(crypto.decrypt(member.id_number_enc)).sex == member.sex
    assert household.member_count == household.members.count()
    call_command("generate", villages=MINZU_VILLAGE, households=10, seed=10)
    assert Household.objects.count() == 40
    assert Household.objects.order_by("-number").first().number == MINZU_VILLAGE + "00040"
