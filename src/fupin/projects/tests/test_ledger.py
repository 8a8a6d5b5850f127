"""The fund ledger: budget → allocation → disbursement, reversals, and the invariants in the database."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from fupin.audit.models import AuditEvent
from fupin.projects import ledger, selectors
from fupin.projects.errors import LedgerRefused
from fupin.projects.models import LedgerEntry, Status
from fupin.projects.tests.factories import TODAY, make_project, make_source


@pytest.fixture
def money(cast):
    source = make_source(budget="500000.00")
    project = make_project(budget="400000.00", status=Status.IN_PROGRESS)
    return source, project


def test_it_allocates_and_disburses_within_the_balances(money):
    source, project = money
    allocation = ledger.fund_allocate(by=None, source=source, project=project, amount="400000", date=TODAY)
    ledger.fund_disburse(by=None, allocation=allocation, amount="150000.50", date=TODAY)
    figures = selectors.project_money(project)
    assert figures["allocated"] == Decimal("400000.00")
    assert figures["disbursed"] == Decimal("150000.50")
    assert selectors.source_available(source) == Decimal("100000.00")
    assert AuditEvent.objects.filter(object_type="projects.ledgerentry").count() == 3


def test_it_refuses_an_allocation_beyond_the_available_balance(money):
    source, project = money
    other = make_project(name="另一个项目", budget="400000.00", status=Status.IN_PROGRESS)
    ledger.fund_allocate(by=None, source=source, project=project, amount="300000", date=TODAY)
    with pytest.raises(LedgerRefused) as refused:
        ledger.fund_allocate(by=None, source=source, project=other, amount="200000.01", date=TODAY)
    assert "可用余额为200,000.00元" in refused.value.reasons[0]


def test_it_refuses_to_disburse_more_than_the_allocation(money):
    source, project = money
    allocation = ledger.fund_allocate(by=None, source=source, project=project, amount="1000", date=TODAY)
    ledger.fund_disburse(by=None, allocation=allocation, amount="600", date=TODAY)
    with pytest.raises(LedgerRefused) as refused:
        ledger.fund_disburse(by=None, allocation=allocation, amount="400.01", date=TODAY)
    assert "剩余可拨付400.00元" in refused.value.reasons[0]


def test_it_refuses_to_disburse_before_work_starts(cast):
    source = make_source()
    project = make_project(status=Status.APPROVED)
    allocation = ledger.fund_allocate(by=None, source=source, project=project, amount="1000", date=TODAY)
    with pytest.raises(LedgerRefused) as refused:
        ledger.fund_disburse(by=None, allocation=allocation, amount="1", date=TODAY)
    assert "开工实施后才能拨付" in refused.value.reasons[0]


def test_it_corrects_by_reversing_entries_only(money):
    source, project = money
    allocation = ledger.fund_allocate(by=None, source=source, project=project, amount="1000", date=TODAY)
    payment = ledger.fund_disburse(by=None, allocation=allocation, amount="600", date=TODAY)
    with pytest.raises(LedgerRefused):  # disbursed money must be reversed first
        ledger.entry_reverse(by=None, entry=allocation, reason="录错")
    reversal = ledger.entry_reverse(by=None, entry=payment, reason="重复拨付")
    assert reversal.amount == Decimal("-600.00") and reversal.reverses == payment
    with pytest.raises(LedgerRefused) as refused:
        ledger.entry_reverse(by=None, entry=payment, reason="再冲一次")
    assert "已冲正" in refused.value.reasons[0]
    ledger.entry_reverse(by=None, entry=allocation, reason="录错")
    assert selectors.project_money(project)["allocated"] == Decimal("0.00")
    assert LedgerEntry.objects.count() == 5  # budget, allocation, payment and two reversals


def test_it_refuses_to_reverse_a_budget_already_allocated(money):
    source, project = money
    budget = LedgerEntry.objects.get(source=source, kind="budget")
    ledger.fund_allocate(by=None, source=source, project=project, amount="1", date=TODAY)
    with pytest.raises(LedgerRefused):
        ledger.entry_reverse(by=None, entry=budget, reason="预算调减")


def test_it_keeps_entries_append_only(money):
    source, _project = money
    entry = LedgerEntry.objects.get(source=source)
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE projects_ledgerentry SET memo = 'x' WHERE id = %s", [entry.pk])


def _raw(**fields):
    """Insert an entry straight into the table (bulk_create skips the model's save)."""
    with transaction.atomic():
        return LedgerEntry._base_manager.bulk_create([LedgerEntry(date=TODAY, memo="直接写库", **fields)])[0]


def test_the_database_refuses_overspending_that_bypasses_the_services(money):
    """The triggers hold the invariants even for a writer that skips ledger.py."""
    source, project = money
    with pytest.raises(IntegrityError):
        _raw(kind="allocation", source=source, project=project, amount=Decimal("500000.01"))
    allocation = _raw(kind="allocation", source=source, project=project, amount=Decimal("100"))
    with pytest.raises(IntegrityError):
        _raw(
            kind="disbursement",
            source=source,
            project=project,
            allocation=allocation,
            amount=Decimal("100.01"),
        )
    _raw(kind="disbursement", source=source, project=project, allocation=allocation, amount=Decimal("100"))
    with pytest.raises(IntegrityError):  # a reversal that does not negate its entry
        _raw(kind="allocation", source=source, project=project, reverses=allocation, amount=Decimal("-50"))
    with pytest.raises(IntegrityError):  # an allocation with disbursements cannot be reversed
        _raw(kind="allocation", source=source, project=project, reverses=allocation, amount=Decimal("-100"))
    with pytest.raises(IntegrityError):  # a positive "reversal" breaks the sign constraint
        _raw(kind="budget", source=source, amount=Decimal("5"), reverses=allocation)


def test_it_reports_a_units_direct_and_brought_in_money(cast):
    from fupin.projects.models import FundSource

    datang = cast["datang"]
    make_source(
        name="大唐直接投入", kind=FundSource.Kind.UNIT_DIRECT, place=None, unit=datang, budget="1200000"
    )
    brought = make_source(
        name="大唐引进资金", kind=FundSource.Kind.BROUGHT_IN, place=None, unit=datang, budget="300000.50"
    )
    make_source(name="大唐职工捐款", kind=FundSource.Kind.DONATION, place=None, unit=datang, budget="99")
    # Money counts in the year its budget entry is dated (docs/architecture.md, "Figures"): the 2023
    # source's money that arrived in 2023 is 2023's, whatever year is asked of the others.
    earlier = make_source(
        name="大唐2023直接投入",
        kind=FundSource.Kind.UNIT_DIRECT,
        place=None,
        unit=datang,
        year=2023,
        budget=None,
    )
    ledger.fund_budget(by=None, source=earlier, amount="1000000", date=TODAY.replace(year=2023))
    extra = ledger.fund_budget(by=None, source=brought, amount="100", date=TODAY)
    ledger.entry_reverse(by=None, entry=extra, reason="退回")
    totals = selectors.unit_fund_totals(unit_id=datang.pk, year=2024)
    assert totals == {"direct": Decimal("1200000.00"), "brought_in": Decimal("300000.50")}
    assert all(isinstance(v, Decimal) for v in totals.values())
    assert selectors.unit_fund_totals(unit_id=datang.pk, year=2023)["direct"] == Decimal("1000000.00")
    assert selectors.unit_fund_totals(unit_id=datang.pk, year=2020) == {
        "direct": Decimal("0.00"),
        "brought_in": Decimal("0.00"),
    }
