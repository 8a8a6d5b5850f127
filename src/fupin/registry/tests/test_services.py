import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core.errors import StaleVersion
from fupin.regions.models import Region
from fupin.registry import services
from fupin.registry.models import DuplicateReport, Household, Member
from fupin.testing import JINGCHUAN_VILLAGE, MINZU_VILLAGE, make_user, person_id

# The cast only: several tests count or number the households of 民族村 from none.
WORLD_LAYERS = ()


def test_it_creates_a_household_with_a_village_number(cast):
    """The cadre registers a household in 民族村; its number is the village code and a sequence."""
    first = services.household_create(
        by=cast["cadre"],
        village_code=MINZU_VILLAGE,
        attribute="dibao",
        main_cause="illness",
        cause2="no_funds",
    )
    second = services.household_create(
        by=cast["cadre"], village_code=MINZU_VILLAGE, attribute="ordinary", main_cause="no_skills"
    )
    assert first.number == MINZU_VILLAGE + "00001"
    assert second.number == MINZU_VILLAGE + "00002"
    assert first.events.get().action == "create"
    assert AuditEvent.objects.filter(action="create", object_type="registry.household").count() == 2


def test_it_reports_field_errors_in_chinese(cast):
    """Repeated causes, a bad phone and a bad account are field errors, in Chinese."""
    with pytest.raises(ValidationError) as info:
        services.household_create(
            by=cast["cadre"],
            village_code=MINZU_VILLAGE,
            attribute="nope",
            main_cause="illness",
            cause2="illness",
            phone="010-1234",
            bank_account="12ab",
        )
    errors = info.value.message_dict
    assert set(errors) == {"attribute", "cause2", "phone", "bank_account"}
    assert "不能与主要致贫原因相同" in errors["cause2"][0]
    assert Household.objects.count() == 0


def test_it_refuses_a_village_outside_the_scope(cast):
    """The outsider cannot register a household in 兴海县, and a township code is not a village."""
    with pytest.raises(PermissionDenied):
        services.household_create(
            by=cast["outsider"], village_code=MINZU_VILLAGE, attribute="ordinary", main_cause="illness"
        )
    with pytest.raises((ValidationError, PermissionDenied)):
        services.household_create(
            by=None, village_code="632524203", attribute="ordinary", main_cause="illness"
        )


def test_it_refuses_a_stale_version_without_losing_the_other_update(minzu, cast):
    """Two editors read version 1; the second save is refused and the first one's change stays."""
    household = minzu[0]
    read_version = household.version
    services.household_update(by=cast["cadre"], household=household, version=read_version, group_name="一社")
    with pytest.raises(StaleVersion) as info:
        services.household_update(
            by=cast["county"], household=household, version=read_version, group_name="二社"
        )
    assert str(info.value) == "该记录已被他人修改,请刷新后重试"
    household.refresh_from_db()
    assert household.group_name == "一社" and household.version == read_version + 1


def test_it_updates_only_the_fields_given(minzu, cast):
    """A phone change re-encrypts and re-masks; other columns are untouched; the audit row is masked."""
    household = minzu[0]
    updated = services.household_update(
        by=cast["cadre"], household=household, version=household.version, phone="13912345678"
    )
    assert updated.phone_masked == "139****5678"
    assert updated.main_cause == "illness"
    row = AuditEvent.objects.filter(action="update", object_type="registry.household").latest("id")
    assert "13912345678" not in str(row.changes)


def test_it_derives_sex_and_birth_and_keeps_the_household_in_step(minzu):
    """Sex and birth date come from the number; member_count and head_name follow the members."""
    household = minzu[0]
    assert household.member_count == 2 and household.head_name == "才让东智"
    head = household.members.get(relation="head")
    assert head.sex == "M" and head.birth_date == datetime.date(1975, 3, 2)
    assert head.id_number_masked == person_id(1)[:4] + "*" * 10 + person_id(1)[-4:]
    assert head.birth_year == 1975 and head.birth_date_masked == "1975-**-**"
    assert head.name_initials == "crdz"


def test_it_refuses_sex_or_birth_date_that_disagree_with_the_number(minzu):
    """A woman's number with sex M, or another birth date, is refused with a clear message."""
    with pytest.raises(ValidationError) as info:
        services.member_add(
            by=None,
            household=minzu[1],
            name="卓玛",
            id_number=person_id(10, male=False),
            relation="spouse",
            sex="M",
            birth_date=datetime.date(1990, 1, 1),
        )
    errors = info.value.message_dict
    assert "性别与身份证号不符" in errors["sex"][0]
    assert "出生日期与身份证号不符" in errors["birth_date"][0]


def test_it_allows_one_head_per_household(minzu):
    """A second head is refused."""
    with pytest.raises(ValidationError) as info:
        services.member_add(
            by=None, household=minzu[0], name="扎西", id_number=person_id(20), relation="head"
        )
    assert "一户只能有一位户主" in info.value.message_dict["relation"][0]


def test_it_refuses_a_duplicate_across_counties_and_reports_it_to_both(minzu, cast):
    """泾川县 registering a person of 兴海县 is refused naming only the county; both counties see the
    report, a third county and the village cadre do not."""
    Region.objects.create(
        code="620825", name="庄浪县", short_name="庄浪县", level=3, parent_id="6208", initials="zlx"
    )
    third = make_user("third", roles=[Role.COUNTY_OFFICER], scopes=["620825"])
    other = services.household_create(
        by=cast["outsider"], village_code=JINGCHUAN_VILLAGE, attribute="ordinary", main_cause="no_funds"
    )
    with pytest.raises(ValidationError) as info:
        services.member_add(
            by=cast["outsider"], household=other, name="张三", id_number=person_id(1), relation="head"
        )
    message = info.value.message_dict["id_number"][0]
    assert message == "该身份证号已在兴海县登记,同一人只能登记一次"
    report = DuplicateReport.objects.get()
    assert (report.existing_county, report.attempted_county) == ("632524", "620821")
    assert person_id(1) not in report.id_number_masked
    assert DuplicateReport.objects.visible_to(cast["county"]).count() == 1
    assert DuplicateReport.objects.visible_to(cast["outsider"]).count() == 1
    assert DuplicateReport.objects.visible_to(third).count() == 0
    assert DuplicateReport.objects.visible_to(cast["cadre"]).count() == 0
    assert other.members.count() == 0


def test_it_refuses_a_duplicate_in_the_same_county_without_a_report(minzu):
    """The same person twice in 兴海县 is refused; no cross-county report is made."""
    with pytest.raises(ValidationError):
        services.member_add(
            by=None, household=minzu[1], name="才让东智", id_number=person_id(1), relation="son"
        )
    assert DuplicateReport.objects.count() == 0


def test_it_updates_and_removes_members(minzu, cast):
    """member_update follows the version; member_remove needs a reason and records it."""
    spouse = minzu[0].members.get(relation="spouse")
    updated = services.member_update(
        by=cast["cadre"], member=spouse, version=spouse.version, health="chronic", months_worked=6
    )
    assert updated.version == spouse.version + 1 and updated.months_worked == 6
    with pytest.raises(StaleVersion):
        services.member_update(by=cast["cadre"], member=spouse, version=spouse.version, months_worked=3)
    with pytest.raises(ValidationError):
        services.member_remove(by=cast["cadre"], member=updated, reason="")
    services.member_remove(by=cast["cadre"], member=updated, reason="外嫁")
    household = Household.objects.get(pk=minzu[0].pk)
    assert household.member_count == 1
    assert household.events.filter(action="member_remove", reason__contains="外嫁").exists()
    assert not Member.objects.filter(pk=spouse.pk).exists()


def test_it_computes_per_capita_income_exactly(minzu):
    """Per-capita net income is exact to the fen on both databases (3000 / 7 is 428.57)."""
    household = minzu[0]
    income = services.income_record(
        by=None, household=household, year=2016, wages="2000.01", business=0, production_costs=0
    )
    assert income.people == 2 and income.per_capita == Decimal("1000.01")
    income = services.income_record(by=None, household=household, year=2016, wages=3000, production_costs="0")
    assert income.per_capita == Decimal("1500.00")
    assert household.incomes.count() == 1
    income.refresh_from_db()
    assert income.net_income == Decimal("3000.00")
    for _ in range(5):
        services.member_add(
            by=None, household=household, name="孩子", id_number=person_id(30 + _, year=2010), relation="son"
        )
    income = services.income_record(by=None, household=household, year=2017, wages=3000)
    income.refresh_from_db()
    assert income.people == 7 and income.per_capita == Decimal("428.57")


def test_it_needs_a_reason_for_each_failed_check(minzu):
    """A failed item without a reason is a field error; with one it is stored."""
    results = dict.fromkeys(["food", "clothing", "education", "medical", "housing", "water"], True)
    with pytest.raises(ValidationError) as info:
        services.check_record(by=None, household=minzu[0], year=2016, results=results | {"housing": False})
    assert "housing" in info.value.message_dict
    check = services.check_record(
        by=None,
        household=minzu[0],
        year=2016,
        results=results | {"housing": False},
        reasons={"housing": "危房"},
    )
    assert not check.passed and check.reasons == {"housing": "危房"}
