import pytest
from django.core.exceptions import PermissionDenied

from fupin.accounts.roles import Role
from fupin.core.errors import TransitionRefused
from fupin.registry import lifecycle, services
from fupin.registry.models import Household
from fupin.testing import make_user

WORLD_LAYERS = ("minzu",)

ALL_PASS = dict.fromkeys(["food", "clothing", "education", "medical", "housing", "water"], True)


@pytest.fixture
def township(cast):
    from fupin.regions.models import Region

    assert Region.objects.filter(code="632524203").exists()
    return make_user("township", roles=[Role.TOWNSHIP_OFFICER], scopes=["632524203"])


@pytest.fixture
def poor(minzu, cast):
    """民族村's first household identified as poor by the county."""
    return lifecycle.household_identify(by=cast["county"], household=minzu[0], reason="2014年识别")


def _meet_standard(household, year=2017, per_capita=4000):
    services.income_record(by=None, household=household, year=year, wages=per_capita * household.member_count)
    services.check_record(by=None, household=household, year=year, results=ALL_PASS)


def test_it_refuses_exit_with_every_reason_when_data_is_missing(poor, cast):
    """No income and no check for the year: both are reasons."""
    with pytest.raises(TransitionRefused) as info:
        lifecycle.exit_propose(by=cast["cadre"], household=poor, year=2017, reason="收入达标")
    assert info.value.reasons == ["缺少2017年的收入数据", "缺少2017年的“两不愁三保障”核查数据"]


def test_it_refuses_exit_below_the_line_or_with_a_failed_check(poor, cast):
    """Income not above the 2017 line (3026) and a failed housing check are both given."""
    services.income_record(by=None, household=poor, year=2017, wages=3026 * 2)
    services.check_record(
        by=None, household=poor, year=2017, results=ALL_PASS | {"housing": False}, reasons={"housing": "危房"}
    )
    with pytest.raises(TransitionRefused) as info:
        lifecycle.exit_propose(by=cast["cadre"], household=poor, year=2017, reason="申请")
    assert info.value.reasons == [
        "2017年人均纯收入3026.00元,未超过当年贫困标准3026.00元",
        "“两不愁三保障”未达标:住房安全有保障(危房)",
    ]
    assert Household.objects.get(pk=poor.pk).exit_review == ""


def test_it_exits_through_the_three_step_review_with_role_checks(poor, cast, township):
    """Village proposes, township checks, county approves; each step only by its role; events written."""
    _meet_standard(poor)
    with pytest.raises(PermissionDenied):
        lifecycle.exit_propose(by=cast["outsider"], household=poor, year=2017, reason="x")
    lifecycle.exit_propose(by=cast["cadre"], household=poor, year=2017, reason="收入稳定超过标准")
    with pytest.raises(PermissionDenied):
        lifecycle.exit_check(by=cast["cadre"], household=poor, approve=True, reason="x")
    with pytest.raises(TransitionRefused):
        lifecycle.exit_approve(by=cast["county"], household=poor, approve=True, reason="未经乡镇审核")
    lifecycle.exit_check(by=township, household=poor, approve=True, reason="核实无误")
    with pytest.raises(PermissionDenied):
        lifecycle.exit_approve(by=township, household=poor, approve=True, reason="x")
    household = lifecycle.exit_approve(by=cast["county"], household=poor, approve=True, reason="公告无异议")
    assert (household.status, household.exit_year, household.exit_review) == ("exited", 2017, "")
    actions = list(household.events.values_list("action", "from_status", "to_status", "actor__username"))
    assert actions[-4:] == [
        ("identify", "registered", "poor", "county"),
        ("exit_propose", "poor", "poor", "cadre"),
        ("exit_check", "poor", "poor", "township"),
        ("exit_approve", "poor", "exited", "county"),
    ]


def test_it_sends_a_proposal_back(poor, cast, township):
    """The township may send a proposal back; it can then be proposed again."""
    _meet_standard(poor)
    lifecycle.exit_propose(by=cast["cadre"], household=poor, year=2017, reason="申请")
    household = lifecycle.exit_check(by=township, household=poor, approve=False, reason="收入不稳定")
    assert household.exit_review == "" and household.status == "poor"
    lifecycle.exit_propose(by=cast["cadre"], household=poor, year=2017, reason="再次申请")


def test_it_rechecks_the_standard_at_approval(poor, cast, township):
    """Income corrected below the line during review: the county's approval is refused."""
    _meet_standard(poor)
    lifecycle.exit_propose(by=cast["cadre"], household=poor, year=2017, reason="申请")
    lifecycle.exit_check(by=township, household=poor, approve=True, reason="审核")
    services.income_record(by=None, household=poor, year=2017, wages=1000)
    with pytest.raises(TransitionRefused) as info:
        lifecycle.exit_approve(by=cast["county"], household=poor, approve=True, reason="批准")
    assert "未超过当年贫困标准" in info.value.reasons[0]


def test_it_records_a_return_to_poverty_and_a_second_exit(poor, cast, township):
    """已脱贫 → 返贫 (by the county), then helped again and exited in a later year."""
    _meet_standard(poor)
    lifecycle.exit_propose(by=cast["cadre"], household=poor, year=2017, reason="申请")
    lifecycle.exit_check(by=township, household=poor, approve=True, reason="审核")
    lifecycle.exit_approve(by=cast["county"], household=poor, approve=True, reason="批准")
    with pytest.raises(PermissionDenied):
        lifecycle.household_return(by=cast["cadre"], household=poor, reason="因病")
    household = lifecycle.household_return(by=cast["county"], household=poor, reason="户主患大病")
    assert household.status == "returned"
    with pytest.raises(TransitionRefused):
        lifecycle.household_return(by=cast["county"], household=poor, reason="again")
    _meet_standard(poor, year=2019, per_capita=5000)
    lifecycle.exit_propose(by=cast["cadre"], household=poor, year=2019, reason="再次脱贫")
    lifecycle.exit_check(by=township, household=poor, approve=True, reason="审核")
    household = lifecycle.exit_approve(by=cast["county"], household=poor, approve=True, reason="批准")
    assert (household.status, household.exit_year) == ("exited", 2019)
    assert household.events.filter(action="return", reason="户主患大病").exists()


def test_it_refuses_transitions_from_the_wrong_status(minzu, cast):
    """A registered household cannot be proposed for exit; identification needs a reason."""
    with pytest.raises(TransitionRefused) as info:
        lifecycle.exit_propose(by=cast["cadre"], household=minzu[0], year=2017, reason="x")
    assert "不能提出脱贫" in info.value.reasons[0]
    with pytest.raises(TransitionRefused):
        lifecycle.household_identify(by=cast["county"], household=minzu[0], reason=" ")


def _todo(user):
    from fupin.core.todo import todos_for

    return {str(t.label): t for t in todos_for(user) if t.app == "registry"}


def test_each_step_of_the_review_waits_in_its_reviewers_todo_and_opens_exactly_those(
    client, poor, cast, township
):
    _meet_standard(poor)
    assert _todo(township) == {} and _todo(cast["county"]) == {}
    lifecycle.exit_propose(by=cast["cadre"], household=poor, year=2017, reason="收入稳定超过标准")
    item = _todo(township)["待乡镇审核的脱贫申请"]
    assert item.count == 1 and item.url.endswith("?exit_review=proposed")
    assert "待县级审定的脱贫申请" not in _todo(cast["county"])
    assert _todo(cast["outsider"]) == {}  # another county's officer: nothing of 兴海县
    client.force_login(township)
    page = client.get(item.url).content.decode()
    assert poor.number in page and "共 1 条" in page
    lifecycle.exit_check(by=township, household=poor, approve=True, reason="核实无误")
    assert "待乡镇审核的脱贫申请" not in _todo(township)
    item = _todo(cast["county"])["待县级审定的脱贫申请"]
    assert item.count == 1 and item.url.endswith("?exit_review=checked")
    lifecycle.exit_approve(by=cast["county"], household=poor, approve=True, reason="公告无异议")
    assert _todo(cast["county"]) == {}
