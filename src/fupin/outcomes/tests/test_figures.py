"""定点帮扶责任书: each of the six actuals against a hand count over a small world across years.

The rule (docs/architecture.md, "Figures"): an actual belongs to the year of the record's own
date — money to the year its budget entry (资金到位) is dated, whatever its source's 年度 (a reversal
to the year of the entry it corrects); training to the class's start; produce to the purchase date.
"""

import datetime as dt
from decimal import Decimal

import pytest

from fupin.accounts.tokens import token_issue
from fupin.assistance import services as assistance
from fupin.assistance.choices import TrainingForm, TrainingKind
from fupin.outcomes import selectors, services
from fupin.outcomes.models import Channel, PurchaseKind
from fupin.projects import ledger
from fupin.projects import services as projects
from fupin.projects.models import FundSource

pytestmark = pytest.mark.django_db

# By hand: what each year must show for 大唐 (and nothing of the other unit's records).
EXPECTED = {
    2019: {"direct_funds": "100000.00", "brought_in_funds": "40000.00", "cadres_trained": 30,
           "technicians_trained": 12, "bought": "300000.00", "sold": "0.00"},
    2020: {"direct_funds": "250000.00", "brought_in_funds": "5000.00", "cadres_trained": 21,
           "technicians_trained": 8, "bought": "1200000.50", "sold": "80000.00"},
    2021: {"direct_funds": "0.00", "brought_in_funds": "0.00", "cadres_trained": 0,
           "technicians_trained": 0, "bought": "0.00", "sold": "0.00"},
}  # fmt: skip


def _source(unit, kind, year):
    return projects.source_create(by=None, name=f"{unit.name}{year}{kind}", kind=kind, year=year,
                                  place_code="632524", unit_id=unit.pk)  # fmt: skip


def _budget(source, amount, day):
    return ledger.fund_budget(by=None, source=source, amount=amount, date=day)


def _class(unit, start, *attendees):
    return assistance.training_create(
        by=None, topic="培训", form=TrainingForm.SPECIAL_CLASS, kind=TrainingKind.GRASSROOTS_CADRE,
        start=start, end=start, place="兴海县", organiser=unit, region="632524", attendees=attendees,
    )  # fmt: skip


def _buy(unit, amount, day, kind=PurchaseKind.BOUGHT):
    services.purchase_create(by=None, unit=unit.pk, kind=kind, region="632524", supplier="合作社",
                             product="牦牛肉", amount=amount, date=day, channel=Channel.CANTEEN)  # fmt: skip


def _records(made: dict) -> None:
    from fupin.orgs.models import AssistedPlace

    datang, other = made["datang"], made["jingchuan_unit"]
    AssistedPlace.objects.get_or_create(unit=other, region_id="632524")
    # One source of 年度 2020 receives money in 2019 and 2020: each year counts what arrived in it.
    direct = _source(datang, FundSource.Kind.UNIT_DIRECT, 2020)
    _budget(direct, "100000.00", dt.date(2019, 3, 31))
    _budget(direct, "250000.00", dt.date(2020, 3, 31))
    mistake = _budget(direct, "1000.00", dt.date(2020, 6, 1))
    ledger.entry_reverse(by=None, entry=mistake, reason="重复录入", date=dt.date(2021, 1, 5))
    brought = _source(datang, FundSource.Kind.BROUGHT_IN, 2019)
    _budget(brought, "40000.00", dt.date(2019, 9, 1))
    _budget(brought, "5000.00", dt.date(2020, 1, 10))
    _budget(_source(datang, FundSource.Kind.DONATION, 2020), "9999.00", dt.date(2020, 10, 17))  # neither
    _budget(_source(other, FundSource.Kind.UNIT_DIRECT, 2020), "77777.00", dt.date(2020, 3, 1))
    _class(
        datang,
        dt.date(2019, 5, 1),
        {"kind": "grassroots_cadre", "count": 30},
        {"kind": "technician", "count": 12},
    )
    _class(datang, dt.date(2020, 6, 1), {"kind": "grassroots_cadre", "name": "才让"},
           {"kind": "grassroots_cadre", "count": 20}, {"kind": "technician", "count": 8})  # fmt: skip
    _class(other, dt.date(2020, 6, 1), {"kind": "grassroots_cadre", "count": 99})
    _buy(datang, "300000.00", dt.date(2019, 9, 1))
    _buy(datang, "1200000.50", dt.date(2020, 1, 15))
    _buy(datang, "80000.00", dt.date(2020, 9, 30), PurchaseKind.SOLD)
    _buy(other, "50000.00", dt.date(2020, 3, 1))
    for year in EXPECTED:
        services.target_set(by=None, unit=datang.pk, year=year, direct_funds="1")


WORLD_LAYERS = (_records,)


def _typed(expected: dict) -> dict:
    return {k: Decimal(v) if isinstance(v, str) else v for k, v in expected.items()}


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_each_actual_is_the_hand_count(world, year):
    assert selectors.indicator_actuals(unit_id=world["datang"].pk, year=year) == _typed(EXPECTED[year])


def test_the_api_and_the_pages_show_the_same_figures(client, world):
    _token, key = token_issue(user=world["unitofficer"], name="figures")
    rows = client.get(
        f"/api/outcomes/indicators?unit_id={world['datang'].pk}", HTTP_AUTHORIZATION=f"Bearer {key}"
    ).json()
    by_year = {row["year"]: {i["name"]: i["actual"] for i in row["items"]} for row in rows}
    for year, expected in EXPECTED.items():
        assert {k: Decimal(v) for k, v in by_year[year].items()} == {
            k: Decimal(v) for k, v in expected.items()
        }
    for row in selectors.indicator_rows(selectors.target_list(user=world["unitofficer"])):
        actuals = {i["name"]: i["actual"] for i in row["items"]}
        assert actuals == _typed(EXPECTED[row["target"].year])
