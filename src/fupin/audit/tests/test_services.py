from decimal import Decimal

import pytest
from django.test import RequestFactory

from fupin.audit.models import AuditEvent
from fupin.audit.services import audit_diff, audit_model_change, audit_record, audit_snapshot


def test_it_diffs_only_changed_fields_and_masks_sensitive_ones():
    """Unchanged fields are left out; sensitive values are masked, JSON-unsafe values made strings."""
    diff = audit_diff(
        {"name": "张三", "phone": "13812345678", "amount": Decimal("1.50"), "same": 1},
        {"name": "李四", "phone": "13900001111", "amount": Decimal("2.00"), "same": 1},
        sensitive={"phone"},
    )
    assert diff == {
        "amount": ["1.50", "2.00"],
        "name": ["张三", "李四"],
        "phone": ["138****5678", "139****1111"],
    }


def test_it_masks_id_numbers_in_free_text_and_always_hides_passwords():
    """A stray ID number in a plain field is masked; a password never appears."""
    diff = audit_diff({"note": "", "password": "a"}, {"note": "身份证 632524199001011234", "password": "b"})
    assert "632524199001011234" not in str(diff)
    assert diff["password"] == ["******", "******"]


@pytest.mark.django_db
def test_it_records_actor_ip_and_path_from_the_request(cast):
    """The signed-in user, REMOTE_ADDR and the path come from the request."""
    request = RequestFactory().get("/regions/?q=1", REMOTE_ADDR="10.1.2.3")
    request.user = cast["county"]
    event = audit_record(action=AuditEvent.Action.OTHER, request=request, obj=cast["datang"])
    assert (event.actor_id, event.actor_username) == (cast["county"].pk, "county")
    assert (event.ip, event.path) == ("10.1.2.3", "/regions/?q=1")
    assert event.object_type == "orgs.unit" and event.object_id == str(cast["datang"].pk)


@pytest.mark.django_db
def test_it_audits_a_model_update_with_its_region(cast):
    """audit_model_change records the diff and the record's division code from its scope path."""
    from fupin.orgs.models import AssistedPlace

    place = AssistedPlace.objects.get(unit=cast["datang"])
    before = audit_snapshot(place)
    place.region_id = "632524203"
    place.save()
    event = audit_model_change(
        actor=cast["county"], request=None, instance=place, action=AuditEvent.Action.UPDATE, before=before
    )
    assert event.changes == {"region_id": ["632524", "632524203"]}
    assert event.region_code == "632524203"
    assert event.object_type == "orgs.assistedplace"
