"""Writes: checks, field errors in Chinese, scope, versions and the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fupin.audit.models import AuditEvent
from fupin.core.errors import StaleVersion
from fupin.outcomes import services
from fupin.outcomes.models import Purchase

# The cast only: several tests expect no outcome records or pledge but their own (`records` is per test).
WORLD_LAYERS = ()
pytestmark = pytest.mark.django_db


def _purchase(cast, by, **changes):
    fields = dict(
        unit=cast["datang"].pk, kind="bought", region="632524203207", supplier="合作社", product="青稞",
        amount="1000.00", date=datetime.date(2020, 5, 1),
    )  # fmt: skip
    return services.purchase_create(by=by, **{**fields, **changes})


def test_it_records_a_purchase_and_audits_it(cast):
    purchase = _purchase(cast, cast["unitofficer"])
    assert purchase.version == 1 and str(purchase.amount) == "1000.00"
    event = AuditEvent.objects.get(object_type="outcomes.purchase", object_id=str(purchase.pk))
    assert event.action == "create" and event.region_code == "632524203207"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "0"}, "amount", "金额应大于0"),
        ({"amount": "1.005"}, "amount", "金额最多保留两位小数"),
        ({"amount": "abc"}, "amount", "请输入金额(元)"),
        ({"supplier": " "}, "supplier", "此项为必填项"),
        ({"kind": "gift"}, "kind", "不是有效的选项"),
        ({"region": "63"}, "region", "请选择到县级或以下"),
        ({"region": "620821100206"}, "region", "所选地区不在该单位的帮扶县内"),
        ({"date": "2020-13-01"}, "date", "日期格式应为YYYY-MM-DD"),
        ({"date": datetime.date(2099, 1, 1)}, "date", "日期应在"),
    ],
)
def test_it_refuses_bad_input_with_a_field_message(cast, changes, field, message):
    with pytest.raises(ValidationError) as caught:
        _purchase(cast, None, **changes)
    assert message in caught.value.message_dict[field][0]
    assert not Purchase.objects.exists()


def test_it_refuses_the_outsider_and_the_unpermitted(cast):
    with pytest.raises(ValidationError) as caught:  # 大唐 is not a unit the outsider can see
        _purchase(cast, cast["outsider"])
    assert "unit" in caught.value.message_dict
    with pytest.raises(PermissionDenied):  # the village cadre reads, never writes
        _purchase(cast, cast["cadre"])


def test_it_refuses_a_stale_version_and_keeps_the_record(cast, records):
    purchase = records["p2019"]
    services.purchase_update(by=cast["county"], purchase=purchase, version=1, amount="350000.00")
    with pytest.raises(StaleVersion):
        services.purchase_update(by=cast["county"], purchase=purchase, version=1, amount="1.00")
    purchase.refresh_from_db()
    assert str(purchase.amount) == "350000.00" and purchase.version == 2
    event = AuditEvent.objects.filter(object_id=str(purchase.pk), action="update").get()
    assert event.changes["amount"] == ["300000.00", "350000.00"]


def test_it_deletes_with_an_audit_row(cast, records):
    services.purchase_delete(by=cast["county"], purchase=records["p2019"])
    assert not Purchase.objects.filter(pk=records["p2019"].pk).exists()
    assert AuditEvent.objects.filter(object_type="outcomes.purchase", action="delete").count() == 1
    with pytest.raises(PermissionDenied):
        services.purchase_delete(by=cast["outsider"], purchase=records["p2020"])


def test_it_links_a_placement_to_a_registered_member(cast):
    from fupin.testing import make_households

    zhaxi = make_households()["zhaxi"]
    member = zhaxi.members.get(name="卓玛")
    placement = services.placement_create(
        by=cast["county"], unit=cast["datang"].pk, member=member.pk, employer="电站",
        kind="welfare_post", date=datetime.date(2020, 1, 1), wage_band="lt2000",
    )  # fmt: skip
    assert placement.name == "卓玛" and placement.region_id == "632524203207"
    with pytest.raises(ValidationError) as caught:  # the outsider cannot link a person of 兴海县
        services.placement_create(
            by=cast["outsider"], unit=cast["jingchuan_unit"].pk, member=member.pk, employer="x",
            kind="worker", date=datetime.date(2020, 1, 1), wage_band="lt2000",
        )  # fmt: skip
    assert "member" in caught.value.message_dict


def test_it_lets_only_the_units_own_people_set_its_targets(cast):
    with pytest.raises(PermissionDenied):
        services.target_set(by=cast["county"], unit=cast["datang"].pk, year=2020)
    target = services.target_set(by=cast["unitofficer"], unit=cast["datang"].pk, year=2020, bought="10")
    with pytest.raises(ValidationError) as caught:
        services.target_set(by=cast["unitofficer"], unit=cast["datang"].pk, year=2020)
    assert "已存在" in caught.value.message_dict["year"][0]
    services.target_update(by=cast["unitofficer"], target=target, version=1, cadres_trained=30)
    target.refresh_from_db()
    assert target.cadres_trained == 30 and target.version == 2
    with pytest.raises(ValidationError):
        services.target_update(by=cast["unitofficer"], target=target, version=2, sold="-1")
