"""The six 责任书 actuals from the three apps' records: funds from projects' ledger, training
person-times from assistance's classes, produce bought and sold from this app's purchases."""

import datetime
from decimal import Decimal

import pytest

from fupin.assistance import services as assistance_services
from fupin.assistance.choices import TrainingForm, TrainingKind
from fupin.outcomes import selectors
from fupin.projects import ledger as project_ledger
from fupin.projects import services as project_services
from fupin.projects.models import FundSource

pytestmark = pytest.mark.django_db


def _fund(unit, kind, amount, year=2020):
    source = project_services.source_create(
        by=None, name=f"{unit.name}{kind}{year}", kind=kind, year=year, unit_id=unit.pk
    )
    project_ledger.fund_budget(by=None, source=source, amount=Decimal(amount), date=datetime.date(year, 3, 1))


def _training(unit, kind, count, year=2020):
    assistance_services.training_create(
        by=None, topic="种养殖技术", form=TrainingForm.SPECIAL_CLASS, kind=kind,
        start=datetime.date(year, 5, 1), end=datetime.date(year, 5, 3), place="兴海县党校",
        organiser=unit, region="632524", attendees=[{"count": count}],
    )  # fmt: skip


def test_it_computes_all_six_actuals_from_the_records(cast, records):
    datang = cast["datang"]
    _fund(datang, FundSource.Kind.UNIT_DIRECT, "3000000.00")
    _fund(datang, FundSource.Kind.BROUGHT_IN, "450000.00")
    _fund(datang, FundSource.Kind.UNIT_DIRECT, "999.00", year=2019)  # another year: not counted
    _training(datang, TrainingKind.GRASSROOTS_CADRE, 60)
    _training(datang, TrainingKind.TECHNICIAN, 25)
    _training(datang, TrainingKind.RICH_LEADER, 7)  # neither indicator
    actuals = selectors.indicator_actuals(unit_id=datang.pk, year=2020)
    assert actuals == {
        "direct_funds": Decimal("3000000.00"),
        "brought_in_funds": Decimal("450000.00"),
        "cadres_trained": 60,
        "technicians_trained": 25,
        "bought": Decimal("1200000.50"),
        "sold": Decimal("80000.00"),
    }
    target = records["target"]  # pledged: bought 1,000,000, sold 100,000, nothing else
    (row,) = selectors.indicator_rows([target])
    assert {i["name"]: i["rate"] for i in row["items"]}["bought"] == Decimal("120.0")
    assert row["met"] is False  # sold is at 80%
