"""新增农户 with its head, the household page's 帮扶 section, and 查看 of 健康状况 (registry.views)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fupin import testing
from fupin.accounts.roles import Role
from fupin.registry import services
from fupin.registry.idnumbers import make_id_number
from fupin.registry.models import Household, Member
from fupin.testing import HEAD_ID

WORLD_LAYERS = ("households",)


NEW_HEAD_ID = make_id_number(area_code="632524", birth_date=datetime.date(1966, 6, 6), sequence=21, male=True)
CREATE = "registry:household_create"


def _create_form(**changes) -> dict:
    data = {
        "village": testing.MINZU_VILLAGE,
        "group_name": "二社",
        "head_name": "索南",
        "head_id_number": NEW_HEAD_ID,
        "head_sex": "",
        "attribute": "ordinary",
        "main_cause": "illness",
        "safe_water": "on",
        "electricity": "on",
    }
    data.update(changes)
    return data


def test_it_creates_the_household_with_its_head_in_one_form(county_client):
    """One POST registers the household and its head (户主, sex from the ID number)."""
    response = county_client.post(reverse(CREATE), _create_form())
    household = Household.objects.get(group_name="二社")
    assert response.status_code == 302 and response["Location"].endswith(f"/{household.pk}/")
    head = Member.objects.get(household=household)
    assert (head.name, head.relation, head.sex) == ("索南", "head", "M")
    assert household.head_name == "索南" and household.member_count == 1
    page = county_client.get(response["Location"]).content.decode()
    assert "索南" in page and NEW_HEAD_ID not in page


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"head_id_number": "632524196606061234"}, "head_id_number"),  # a wrong check digit
        ({"head_id_number": HEAD_ID}, "head_id_number"),  # 扎西 is registered already
        ({"head_sex": "F"}, "head_sex"),  # the number says male
        ({"head_name": ""}, "head_name"),
    ],
)
def test_it_writes_nothing_when_the_head_is_refused(county_client, households, changes, field):
    """A refused head leaves no household behind, and the message stands under the head's field."""
    before = Household.objects.count()
    response = county_client.post(reverse(CREATE), _create_form(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Household.objects.count() == before


def test_the_service_registers_household_and_head_atomically(cast, households):
    """household_create(head=…) refuses the whole household when the head is refused."""
    before = Household.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.household_create(
            by=cast["county"],
            village_code=testing.MINZU_VILLAGE,
            attribute="ordinary",
            main_cause="illness",
            head={"name": "重复", "id_number": HEAD_ID},
        )
    assert "head.id_number" in refused.value.error_dict
    assert Household.objects.count() == before
    household = services.household_create(
        by=cast["county"],
        village_code=testing.MINZU_VILLAGE,
        attribute="ordinary",
        main_cause="illness",
        head={"name": "索南", "id_number": NEW_HEAD_ID},
    )
    assert household.head_name == "索南" and household.members.get().relation == "head"


def test_only_the_edit_form_says_empty_keeps_the_stored_value(county_client, households):
    """ "编辑时留空表示不修改" belongs to editing; the create form asks for the head instead."""
    create = county_client.get(reverse(CREATE)).content.decode()
    assert "编辑时留空表示不修改" not in create
    assert 'name="head_name"' in create and 'name="head_id_number"' in create
    edit = county_client.get(reverse("registry:household_edit", args=[households["zhaxi"].pk]))
    html = edit.content.decode()
    assert "编辑时留空表示不修改" in html and 'name="head_name"' not in html


def test_the_api_creates_the_household_with_its_head(client, cast, households):
    from fupin.accounts.tokens import token_issue

    _token, key = token_issue(user=cast["county"], name="t")

    def post(**body):
        return client.post(
            "/api/registry/households",
            data={
                "village_code": testing.MINZU_VILLAGE,
                "attribute": "ordinary",
                "main_cause": "illness",
                **body,
            },
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )

    before = Household.objects.count()
    refused = post(head={"name": "重复", "id_number": HEAD_ID})
    assert refused.status_code == 422 and "head.id_number" in refused.json()["detail"]
    assert Household.objects.count() == before
    created = post(head={"name": "索南", "id_number": NEW_HEAD_ID})
    assert created.status_code == 201, created.content
    assert created.json()["head_name"] == "索南" and created.json()["member_count"] == 1


def test_it_shows_the_health_label_after_reveal(county_client, households):
    """查看 of 健康状况 gives 患有大病, never the stored code `serious`."""
    head = households["zhaxi"].members.get(relation="head")
    response = county_client.post(
        reverse("registry:reveal"), {"type": "member", "id": head.pk, "field": "health"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "患有大病" in html and "serious" not in html


# --- the 帮扶 section -----------------------------------------------------------------------------


@pytest.fixture
def assisted(cast, households):
    """扎西 paired with 多杰才旦 of 大唐青海 and a 一户一策 measure (the assistance matrix's world)."""
    from fupin.assistance.tests import matrix

    objs = {**cast, **households}
    objs.update(matrix.objects(objs))
    return objs


def test_it_shows_the_cadre_the_plan_and_the_visit_button(county_client, assisted):
    """The household page names the serving 帮扶责任人 with their unit, lists the 一户一策 measures and
    links 记录走访 to the assistance app's visit form of this household."""
    household = assisted["zhaxi"]
    html = county_client.get(reverse("registry:household_detail", args=[household.pk])).content.decode()
    assert "多杰才旦" in html and "大唐青海能源开发有限公司" in html
    assert "危房改造" in html
    assert reverse("assistance:visit_record", args=[household.pk]) in html


def test_it_shows_an_ended_pairing_no_more(county_client, assisted):
    from fupin.assistance import services as assistance

    assistance.pairing_end(
        by=None,
        pairing=assisted["pairing"],
        version=assisted["pairing"].version,
        end=datetime.date(2024, 6, 30),
        reason="调整帮扶责任人",
    )
    html = county_client.get(reverse("registry:household_detail", args=[assisted["zhaxi"].pk])).content
    assert "尚未结对帮扶责任人" in html.decode()


def test_it_offers_the_visit_button_only_to_those_who_may_record_visits(client, assisted):
    """A read-only viewer of the county sees the cadre and the plan, but no 记录走访."""
    viewer = testing.make_user("viewer", roles=[Role.VIEWER], scopes=[testing.XINGHAI])
    client.force_login(viewer)
    household = assisted["zhaxi"]
    html = client.get(reverse("registry:household_detail", args=[household.pk])).content.decode()
    assert "多杰才旦" in html
    assert reverse("assistance:visit_record", args=[household.pk]) not in html
