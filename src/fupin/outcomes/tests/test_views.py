"""Every page of the app with the Django client: lists, forms, exports, the 责任书 table."""

import pytest
from django.urls import reverse

from fupin.audit.models import AuditEvent
from fupin.outcomes.models import IndicatorTarget, Placement, Purchase
from fupin.testing import xlsx_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(client, cast):
    client.force_login(cast["county"])
    return client


@pytest.fixture
def unit_client(client, cast):
    client.force_login(cast["unitofficer"])
    return client


def _html(client, name, *args, **params) -> str:
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def _sheet(response) -> list[list]:
    return xlsx_rows(response)


def test_it_shows_the_overview_in_wan_yuan(county, records):
    html = _html(county, "outcomes:home")
    assert "150.00万元" in html and "8.00万元" in html  # bought 1,500,000.50 and sold 80,000
    assert "大唐青海能源开发有限公司" in html and "兴海县" in html
    assert "凤凰村果园" not in html


def test_it_lists_and_filters_purchases(county, records):
    html = _html(county, "outcomes:purchase_list")
    assert "共 3 条" in html and "1,200,000.50" in html and "2020-01-15" in html
    html = _html(county, "outcomes:purchase_list", kind="sold")
    assert "共 1 条" in html
    html = _html(county, "outcomes:purchase_list", year="2019", division="632524203207")
    assert "共 1 条" in html and "300,000.00" in html
    html = _html(county, "outcomes:purchase_list", division="620821")  # not the county's
    assert "所选区划不在允许的范围内" in html


def test_it_exports_purchases_formula_escaped_and_audited(county, records):
    from fupin.outcomes import services

    services.purchase_update(by=None, purchase=records["p2019"], version=1, note="=HYPERLINK(1)")
    response = county.get(reverse("outcomes:purchase_export"))
    rows = _sheet(response)
    assert rows[0][0] == "日期" and len(rows) == 4
    assert "=HYPERLINK(1)" in [row[-1] for row in rows]  # kept as text (Excel's quote prefix)
    assert 1200000.5 in [row[7] for row in rows]  # money is a number a spreadsheet adds up
    assert AuditEvent.objects.filter(action="export", object_type="outcomes.purchase").exists()


def test_it_adds_a_purchase_with_field_messages(unit_client, cast):
    url = reverse("outcomes:purchase_create")
    html = _html(unit_client, "outcomes:purchase_create")
    assert "大唐青海能源开发有限公司" in html
    bad = unit_client.post(url, {"unit": cast["datang"].pk, "kind": "bought", "region": "620821100206",
                                 "supplier": "x", "product": "y", "amount": "10", "date": "2020-01-01",
                                 "channel": "other"})  # fmt: skip
    assert "所选地区不在该单位的帮扶县内" in bad.content.decode()
    good = unit_client.post(url, {"unit": cast["datang"].pk, "kind": "bought", "region": "632524203207",
                                  "supplier": "合作社", "product": "青稞", "amount": "1234.56",
                                  "date": "2020-01-01", "channel": "other"})  # fmt: skip
    assert good.status_code == 302
    assert str(Purchase.objects.get(supplier="合作社").amount) == "1234.56"


def test_it_edits_with_the_version_and_refuses_a_stale_save(county, records):
    purchase = records["p2019"]
    url = reverse("outcomes:purchase_edit", args=[purchase.pk])
    html = _html(county, "outcomes:purchase_edit", purchase.pk)
    assert 'name="version" value="1"' in html
    data = {"version": 1, "unit": purchase.unit_id, "kind": "bought", "region": "632524203207",
            "supplier": "改名合作社", "product": "牦牛肉", "amount": "300000.00", "date": "2019-09-01",
            "channel": "canteen"}  # fmt: skip
    assert county.post(url, data).status_code == 302
    stale = county.post(url, {**data, "supplier": "又改"})
    assert "该记录已被他人修改" in stale.content.decode()
    purchase.refresh_from_db()
    assert purchase.supplier == "改名合作社"


def test_it_deletes_a_purchase(county, records):
    url = reverse("outcomes:purchase_delete", args=[records["p2019"].pk])
    assert url in _html(county, "outcomes:purchase_list")  # the list's 删除 leads to a confirmation
    assert "确定删除该记录吗" in _html(county, "outcomes:purchase_delete", records["p2019"].pk)
    assert Purchase.objects.filter(pk=records["p2019"].pk).exists()
    response = county.post(url)
    assert response.status_code == 302
    assert not Purchase.objects.filter(pk=records["p2019"].pk).exists()


def test_it_lists_exports_and_adds_placements(county, cast, records):
    html = _html(county, "outcomes:placement_list")
    assert "才让" in html and "解决就业 1 人,其中贫困大学生 1 人" in html
    rows = _sheet(county.get(reverse("outcomes:placement_export")))
    assert rows[1][2] == "才让"
    missing = county.post(reverse("outcomes:placement_create"), {"unit": cast["datang"].pk, "name": "卓玛",
                          "employer": "电站", "kind": "worker", "date": "2020-02-02", "wage_band": "lt2000"})  # fmt: skip
    assert "未关联建档立卡成员时,请选择户籍地区" in missing.content.decode()
    done = county.post(reverse("outcomes:placement_create"), {"unit": cast["datang"].pk, "name": "卓玛",
                       "region": "632524101206", "employer": "电站", "kind": "worker", "date": "2020-02-02",
                       "wage_band": "lt2000"})  # fmt: skip
    assert done.status_code == 302 and Placement.objects.filter(name="卓玛").exists()
    edit = _html(county, "outcomes:placement_edit", records["placement"].pk)
    assert "兴海光伏电站" in edit
    assert (
        county.post(reverse("outcomes:placement_delete", args=[records["placement"].pk])).status_code == 302
    )


def test_it_summarises_by_county_and_exports_it(county, records):
    html = _html(county, "outcomes:summary_list", by="county")
    assert "兴海县" in html and "158.00万元" in html
    rows = _sheet(county.get(reverse("outcomes:summary_export"), {"by": "year"}))
    assert [r[0] for r in rows[1:]] == ["2019", "2020"]


def test_it_shows_the_pledges_with_completion(county, records):
    html = _html(county, "outcomes:indicator_list")
    assert "大唐青海能源开发有限公司" in html and "120.0%" in html and "80.0%" in html
    rows = _sheet(county.get(reverse("outcomes:indicator_export")))
    assert rows[1][0] == "大唐青海能源开发有限公司" and rows[1][1] == 2020
    detail = _html(county, "outcomes:target_detail", records["target"].pk)
    assert "120.0%" in detail and "修改目标" not in detail  # the county reads, the unit edits
    assert county.post(reverse("outcomes:target_detail", args=[records["target"].pk]), {}).status_code == 403
    assert county.get(reverse("outcomes:target_create")).status_code == 403


def test_it_lets_the_unit_set_and_edit_its_pledge(unit_client, cast, records):
    url = reverse("outcomes:target_create")
    assert "培训基层干部(人次)" in _html(unit_client, "outcomes:target_create")
    data = {"unit": cast["datang"].pk, "year": 2019, "direct_funds": "5000000", "brought_in_funds": "0",
            "cadres_trained": 100, "technicians_trained": 50, "bought": "200000", "sold": "0"}  # fmt: skip
    assert unit_client.post(url, data).status_code == 302
    again = unit_client.post(url, data)
    assert "该单位该年度的责任书目标已存在" in again.content.decode()
    target = IndicatorTarget.objects.get(year=2019)
    detail = reverse("outcomes:target_detail", args=[target.pk])
    assert "修改目标" in _html(unit_client, "outcomes:target_detail", target.pk)
    changed = unit_client.post(detail, {**data, "version": 1, "bought": "300000"})
    assert changed.status_code == 302
    target.refresh_from_db()
    assert target.bought == 300000 and target.version == 2


def test_it_closes_the_pages_to_a_user_without_a_role(client, cast):
    from fupin.testing import make_user

    client.force_login(make_user("nobody"))
    assert client.get(reverse("outcomes:home")).status_code == 403
    assert client.get(reverse("outcomes:purchase_export")).status_code == 403
