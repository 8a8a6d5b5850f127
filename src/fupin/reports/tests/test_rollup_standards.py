"""The figures of the county consolidation standards (monitoring.objects_with_measures,
monitoring.below_line, registry.living_unmet) in the rollup equal their recount at every level of
the test world, in every period present, on a world where each counts something (the records of the
two apps' own tests of these figures): test_rollup checks every indicator on the shared world, where
these may count nothing."""

import pytest

from fupin.core import indicators as declared
from fupin.core.indicators import recount
from fupin.monitoring.tests.test_indicators_standards import build as monitoring_records
from fupin.registry.tests.test_indicators_standards import build as registry_records
from fupin.reports import selectors, services
from fupin.reports.models import DirtyCode
from fupin.reports.tests.test_rollup import CODES, _periods, _same
from fupin.testing import make_user

WORLD_LAYERS = ("households", monitoring_records, registry_records)
CODES_OF_STANDARDS = ("monitoring.objects_with_measures", "monitoring.below_line", "registry.living_unmet")


@pytest.fixture
def national(cast):
    from fupin.accounts.roles import Role

    return make_user("national", roles=[Role.VIEWER], scopes=["63", "62"])


def test_each_equals_its_recount_at_every_level(world, national):
    services.refresh(indicators=list(CODES_OF_STANDARDS))
    wrong, counted = [], {}
    for code in CODES_OF_STANDARDS:
        ind = declared.catalogue()[code]
        for period in _periods(ind):
            for division in CODES:
                expected = recount(ind, prefix=division, period=period)
                got = selectors.figure(national, code, division=division or None, period=period)
                if not _same(expected, got):
                    wrong.append((code, division, period, expected, got))
                counted[code] = max(counted.get(code, 0), expected or 0)
    assert not wrong, wrong
    assert all(counted[code] > 0 for code in CODES_OF_STANDARDS), counted


def test_an_income_written_marks_its_village_and_the_drain_counts_it(
    world, national, django_capture_on_commit_callbacks, monkeypatch
):
    from decimal import Decimal

    from fupin.registry.models import YearlyIncome
    from fupin.reports import apps as hooks
    from fupin.testing import NINGQU_VILLAGE, XINGHAI

    monkeypatch.setattr(hooks._local, "pending", None, raising=False)

    services.refresh(indicators=["monitoring.below_line"])
    before = selectors.figure(national, "monitoring.below_line", division=XINGHAI, period="2025")
    income = YearlyIncome.objects.get(household=world["wang"], year=2025)
    income.wages = Decimal(5000)
    income.compute_totals()
    with django_capture_on_commit_callbacks(execute=True):
        income.save()
    marked = set(DirtyCode.objects.values_list("code", "source"))
    assert (NINGQU_VILLAGE, "registry.YearlyIncome") in marked
    services.drain()
    assert selectors.figure(national, "monitoring.below_line", division=XINGHAI, period="2025") == before + 1
