"""A Hypothesis state machine drives the ledger with random budgets, allocations, disbursements,
reversals and attempts that must be refused; after every step the database agrees with a plain
Python model of the money and no invariant is broken."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from fupin.projects import ledger, selectors
from fupin.projects.errors import LedgerRefused
from fupin.projects.models import LedgerEntry, Status
from fupin.projects.tests.factories import TODAY, make_project, make_source

amounts = st.integers(min_value=1, max_value=500_000).map(lambda cents: Decimal(cents) / 100)
PROJECT_BUDGET = Decimal("3000.00")


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.sources = [make_source(name=f"资金{i}", budget=None) for i in range(2)]
        self.projects = [
            make_project(name=f"项目{i}", budget=str(PROJECT_BUDGET), status=Status.IN_PROGRESS)
            for i in range(2)
        ]
        self.budget = {s.pk: Decimal(0) for s in self.sources}
        self.allocated = {s.pk: Decimal(0) for s in self.sources}
        self.project_allocated = {p.pk: Decimal(0) for p in self.projects}
        # entry -> its model row: amount, the entry it belongs to, reversed?
        self.entries: dict[int, dict] = {}

    def teardown(self):
        # Undo this run's rows: every run starts from the same database.
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _live(self, kind):
        return [pk for pk, e in self.entries.items() if e["kind"] == kind and not e["reversed"]]

    def _disbursed(self, allocation_pk):
        return sum(
            (
                e["amount"]
                for e in self.entries.values()
                if e.get("allocation") == allocation_pk and not e["reversed"]
            ),
            Decimal(0),
        )

    @rule(i=st.integers(0, 1), amount=amounts)
    def budget_arrives(self, i, amount):
        source = self.sources[i]
        entry = ledger.fund_budget(by=None, source=source, amount=amount, date=TODAY)
        self.budget[source.pk] += amount
        self.entries[entry.pk] = {"kind": "budget", "amount": amount, "source": source.pk, "reversed": False}

    @rule(i=st.integers(0, 1), j=st.integers(0, 1), amount=amounts)
    def allocate(self, i, j, amount):
        source, project = self.sources[i], self.projects[j]
        fits = (
            amount <= self.budget[source.pk] - self.allocated[source.pk]
            and self.project_allocated[project.pk] + amount <= PROJECT_BUDGET
        )
        try:
            entry = ledger.fund_allocate(by=None, source=source, project=project, amount=amount, date=TODAY)
        except LedgerRefused:
            assert not fits, "a fitting allocation was refused"
            return
        assert fits, "an allocation beyond the balance went through"
        self.allocated[source.pk] += amount
        self.project_allocated[project.pk] += amount
        self.entries[entry.pk] = {
            "kind": "allocation",
            "amount": amount,
            "source": source.pk,
            "project": project.pk,
            "reversed": False,
        }

    @precondition(lambda self: self._live("allocation"))
    @rule(data=st.data(), amount=amounts)
    def disburse(self, data, amount):
        pk = data.draw(st.sampled_from(self._live("allocation")))
        remaining = self.entries[pk]["amount"] - self._disbursed(pk)
        try:
            entry = ledger.fund_disburse(
                by=None, allocation=LedgerEntry.objects.get(pk=pk), amount=amount, date=TODAY
            )
        except LedgerRefused:
            assert amount > remaining, "a fitting disbursement was refused"
            return
        assert amount <= remaining, "a disbursement beyond the allocation went through"
        self.entries[entry.pk] = {
            "kind": "disbursement",
            "amount": amount,
            "allocation": pk,
            "reversed": False,
        }

    @precondition(lambda self: self.entries)
    @rule(data=st.data())
    def reverse(self, data):
        pk = data.draw(st.sampled_from(sorted(self.entries)))
        row = self.entries[pk]
        allowed = not row["reversed"]
        if row["kind"] == "budget":
            allowed &= self.budget[row["source"]] - self.allocated[row["source"]] >= row["amount"]
        elif row["kind"] == "allocation":
            allowed &= self._disbursed(pk) == 0
        try:
            ledger.entry_reverse(by=None, entry=LedgerEntry.objects.get(pk=pk), reason="冲正")
        except LedgerRefused:
            assert not allowed, "an allowed reversal was refused"
            return
        assert allowed, "a forbidden reversal went through"
        row["reversed"] = True
        if row["kind"] == "budget":
            self.budget[row["source"]] -= row["amount"]
        elif row["kind"] == "allocation":
            self.allocated[row["source"]] -= row["amount"]
            self.project_allocated[row["project"]] -= row["amount"]

    @precondition(lambda self: self._live("allocation"))
    @rule(data=st.data())
    def overspend_behind_the_services_back(self, data):
        """A raw insert of one cent more than is left must be refused by the database itself."""
        pk = data.draw(st.sampled_from(self._live("allocation")))
        allocation = LedgerEntry.objects.get(pk=pk)
        excess = self.entries[pk]["amount"] - self._disbursed(pk) + Decimal("0.01")
        row = LedgerEntry(
            kind="disbursement",
            source_id=allocation.source_id,
            project_id=allocation.project_id,
            allocation=allocation,
            amount=excess,
            date=TODAY,
            memo="越权",
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            LedgerEntry._base_manager.bulk_create([row])

    @invariant()
    def balances_agree_and_never_go_negative(self):
        for source in self.sources:
            row = selectors.with_balances(type(source).objects.filter(pk=source.pk)).get()
            assert row.budgeted == self.budget[source.pk]
            assert row.allocated == self.allocated[source.pk]
            assert 0 <= row.allocated <= row.budgeted
            assert row.available >= 0
        for project in self.projects:
            figures = selectors.project_money(project)
            assert figures["allocated"] == self.project_allocated[project.pk]
            assert 0 <= figures["disbursed"] <= figures["allocated"] <= PROJECT_BUDGET
        for pk in self._live("allocation"):
            disbursed = selectors.allocation_remaining(LedgerEntry.objects.get(pk=pk))
            assert 0 <= disbursed <= self.entries[pk]["amount"]


def test_the_ledger_keeps_its_invariants_under_random_operations(cast):
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=10,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            # No shrinking: a failure prints its steps at once instead of minutes of shrinking in CI.
            phases=[Phase.explicit, Phase.generate],
        ),
    )
