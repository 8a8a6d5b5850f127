"""A kept form sent again with the same key (its first answer lost to the signal) is written once."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from fupin.assistance.models import Visit

WORLD_LAYERS = ("households",)


@pytest.fixture(autouse=True)
def _no_kept_answers():
    """The kept answers live in the cache, which outlives a test's rolled-back database."""
    cache.clear()
    yield
    cache.clear()


KEY = "0f8e2c4a-6b1d-4e3f-9a7c-5d2b8e1f0a93"


def _visit(client, households, *, key=KEY, notes="家中老人身体尚可"):
    return client.post(
        reverse("assistance:visit_record", args=[households["zhaxi"].pk]),
        {
            "visited_on": datetime.date.today().isoformat(),
            "people_met": "户主",
            "notes": notes,
        },
        HTTP_X_FUPIN_IDEMPOTENCY_KEY=key,
        HTTP_X_FUPIN_OUTBOX="1",
    )


@pytest.mark.django_db
def test_a_form_sent_twice_with_one_key_is_written_once(client, cast, households):
    client.force_login(cast["cadre"])
    first = _visit(client, households)
    assert first.status_code == 302, first.content.decode()[:500]
    again = _visit(client, households)
    assert again.status_code == 302 and again["X-Fupin-Replayed"] == "1"
    assert again["Location"] == first["Location"]
    assert Visit.objects.filter(household=households["zhaxi"]).count() == 1
    # Another key is another form: written.
    assert _visit(client, households, key="1a2b3c4d5e6f7a8b9c0d").status_code == 302
    assert Visit.objects.filter(household=households["zhaxi"]).count() == 2


@pytest.mark.django_db
def test_a_refused_try_is_not_kept_and_another_user_has_its_own_keys(client, cast, households):
    client.force_login(cast["cadre"])
    refused = _visit(client, households, notes="")
    assert refused.status_code != 302 and not Visit.objects.exists()
    assert _visit(client, households).status_code == 302  # corrected, same key: written
    client.force_login(cast["county"])
    answer = _visit(client, households)
    assert answer.get("X-Fupin-Replayed") is None  # not the cadre's kept answer
