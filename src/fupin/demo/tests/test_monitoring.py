"""The monitoring demo (demo/monitoring.py): 兴海县 consolidating its 2019 exit in 2026, the Gansu and
seed-002 counties in smaller numbers — every channel, every stage, the colours of lateness, objects
of each type, an elimination, incomes since 2021, and every event on the day it records."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from fupin.accounts.models import User
from fupin.monitoring import selectors
from fupin.monitoring import selectors_lists as rows
from fupin.monitoring.choices import Channel, ObjectStatus, ObjectType, Source, Stage, Urgency
from fupin.monitoring.models import (
    DibaoStandard,
    Elimination,
    EliminationEvent,
    Layer,
    Lead,
    LeadEvent,
    MonitoringLine,
    MonitoringObject,
    ObjectRisk,
    ScreeningBatch,
)
from fupin.registry.models import Household, YearlyIncome

XINGHAI = "632524"


def test_xinghai_has_a_lead_at_every_stage_from_every_channel(demo):
    leads = Lead.objects.filter(village__code__startswith=XINGHAI)
    assert set(leads.values_list("stage", flat=True)) == set(Stage.values)
    assert set(leads.values_list("channel", flat=True)) == set(Channel.values)
    today = timezone.localdate()
    colours = {rows.urgency_of(lead, today) for lead in leads.filter(stage__in=rows.OPEN)}
    assert {Urgency.ON_TIME, Urgency.ORANGE, Urgency.RED} <= colours
    # The refused and the not-included leads say why; the cadre's lead comes from a visit.
    for stage in (Stage.REJECTED, Stage.NOT_INCLUDED):
        assert all(lead.closing_reasons for lead in leads.filter(stage=stage))
    cadre = User.objects.get(username="cadre_minzu")
    assert leads.filter(channel=Channel.CADRE, reported_by=cadre, stage=Stage.ACCEPTED).exists()


def test_the_medical_list_matches_a_large_bill_to_a_member(demo):
    batch = ScreeningBatch.objects.get(county_id=XINGHAI, source=Source.MEDICAL)
    lines = list(batch.lines.order_by("row_number"))
    assert (batch.rows, batch.matched, batch.unmatched) == (3, 2, 1) and len(lines) == 3
    big = max(lines, key=lambda r: r.amount)
    assert big.amount >= Decimal("26000") and big.member is not None
    assert big.member.household_id == big.household_id
    assert [r for r in lines if r.member is None][0].name_masked.endswith("**")
    lead = batch.leads.get()
    assert lead.household_id == big.household_id and lead.channel == Channel.DEPARTMENT


def test_objects_of_each_type_with_several_risks_and_every_layer(demo):
    objects = MonitoringObject.objects.filter(household__village__code__startswith=XINGHAI)
    assert set(objects.values_list("type", flat=True)) == set(ObjectType.values)
    assert set(objects.values_list("layer__code", flat=True)) == set(
        Layer.objects.values_list("code", flat=True)
    )
    assert ObjectRisk.objects.filter(object__in=objects).values("risk").distinct().count() >= 6
    assert objects.filter(safety_net=True).exists()
    assert objects.filter(former_poor=False).exists() and objects.filter(former_poor=True).exists()
    # Eliminated and identified again: the history stays.
    eliminated = objects.filter(status=ObjectStatus.ELIMINATED)
    assert eliminated.exists()
    again = eliminated.values("household")
    assert objects.filter(status=ObjectStatus.MONITORED, household__in=again).exists()
    decided = Elimination.objects.filter(object__in=objects, stage=Stage.DECIDED)
    assert decided.exists() and all(e.object.eliminated_on == e.decided_on for e in decided)
    assert Elimination.objects.filter(object__in=objects, stage__in=rows.OPEN).exists()


def test_the_other_counties_have_records_too(demo):
    for county in ("620821", "620825", "632726", "632224", "513428"):
        assert Lead.objects.filter(village__code__startswith=county).exists(), county
    fenghuang = Lead.objects.filter(village__code="620821100206", stage__in=rows.OPEN)
    colours = {rows.urgency_of(lead) for lead in fenghuang}
    assert {Urgency.ORANGE, Urgency.RED} <= colours


def test_standards_and_incomes_since_2021(demo):
    assert set(MonitoringLine.objects.filter(region_id="63").values_list("year", flat=True)) == set(
        range(2021, 2027)
    )
    assert MonitoringLine.objects.filter(region_id=XINGHAI).count() == 1
    assert all("示意" in line.note for line in MonitoringLine.objects.all())
    lines = dict(MonitoringLine.objects.filter(region_id="63").values_list("year", "amount"))
    assert [lines[y] for y in sorted(lines)] == sorted(lines.values())  # rising yearly
    assert DibaoStandard.objects.filter(region_id=XINGHAI).count() == 6
    households = Household.objects.filter(village__code__startswith=XINGHAI)
    for year in range(2021, 2026):
        assert YearlyIncome.objects.filter(household__in=households, year=year).count() == households.count()
    costs = YearlyIncome.objects.filter(household__in=households, compliant_costs__gt=0)
    assert costs.exists() and costs.filter(insurance_payouts__gt=0).exists()
    assert all(i.per_capita_after_costs < i.per_capita for i in costs[:50])


def test_every_step_carries_its_own_day(demo):
    """No event is stamped with the build time; each case's events are in the order of its steps."""
    assert not LeadEvent.objects.filter(at__gte=demo.started).exists()
    assert not EliminationEvent.objects.filter(at__gte=demo.started).exists()
    for lead in Lead.objects.prefetch_related("events"):
        events = list(lead.events.all())
        assert [e.at for e in events] == sorted(e.at for e in events), lead.number
        assert timezone.localtime(events[0].at).date() == lead.opened_on, lead.number


def test_the_county_and_the_township_find_work_waiting(demo, client):
    today = timezone.localdate()
    for username in ("county_xinghai", "township_tangnaihai", "cadre_minzu"):
        user = User.objects.get(username=username)
        assert selectors.todo_for(user, today).total > 0, username
    client.force_login(User.objects.get(username="county_xinghai"))
    assert client.get(reverse("monitoring:home")).status_code == 200
    monitored = MonitoringObject.objects.filter(
        household__village__code__startswith=XINGHAI, status=ObjectStatus.MONITORED
    ).first()
    page = client.get(reverse("registry:household_detail", args=[monitored.household_id]))
    assert page.context["monitoring"]["current"].pk == monitored.pk
