"""Concurrent disbursements cannot overspend: real threads, each with its own PostgreSQL connection.

Eight clerks pay 200 yuan each against one allocation of 1,000 at the same moment; the row locks
(SELECT … FOR UPDATE in ledger.py, and the trigger's own lock) let exactly five through.
"""

import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from fupin import testing
from fupin.projects import ledger, selectors
from fupin.projects.errors import LedgerRefused
from fupin.projects.models import LedgerEntry, Status
from fupin.projects.tests.factories import TODAY, make_project, make_source

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL only"
)

CLERKS = 8


def _race(work) -> list:
    """Run `work()` in CLERKS threads released together; returns each thread's result or exception."""
    barrier = threading.Barrier(CLERKS)
    results: list = [None] * CLERKS

    def run(i):
        from django.db import connection as own

        try:
            barrier.wait()
            results[i] = work()
        except Exception as exc:  # noqa: BLE001 - the refusal is the result under test
            results[i] = exc
        finally:
            own.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CLERKS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture
def allocation(transactional_db):
    testing.make_cast()
    source = make_source(budget="1000.00")
    project = make_project(budget="1000.00", status=Status.IN_PROGRESS)
    return ledger.fund_allocate(by=None, source=source, project=project, amount="1000.00", date=TODAY)


def test_concurrent_disbursements_cannot_overspend(allocation):
    def pay():
        return ledger.fund_disburse(by=None, allocation=allocation, amount="200.00", date=TODAY)

    results = _race(pay)
    paid = [r for r in results if isinstance(r, LedgerEntry)]
    refused = [r for r in results if isinstance(r, LedgerRefused)]
    assert len(paid) == 5 and len(refused) == CLERKS - 5, results
    assert selectors.project_money(allocation.project)["disbursed"] == Decimal("1000.00")
    assert selectors.allocation_remaining(allocation) == Decimal("0.00")


def test_concurrent_raw_inserts_are_held_by_the_trigger_lock(allocation):
    """Writers that skip the services entirely are still serialised and checked by the database."""

    def insert():
        with transaction.atomic():
            return LedgerEntry._base_manager.bulk_create(
                [
                    LedgerEntry(
                        kind="disbursement",
                        source_id=allocation.source_id,
                        project_id=allocation.project_id,
                        allocation=allocation,
                        amount=Decimal("300.00"),
                        date=TODAY,
                        memo="直接写库",
                    )
                ]
            )[0]

    results = _race(insert)
    assert sum(isinstance(r, LedgerEntry) for r in results) == 3
    assert sum(isinstance(r, IntegrityError) for r in results) == CLERKS - 3, results
    assert selectors.project_money(allocation.project)["disbursed"] == Decimal("900.00")
