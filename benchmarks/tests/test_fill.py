"""bench_fill writes rows the application reads like its own: real ciphertexts and blind indexes."""

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse

from benchmarks import fill
from fupin.registry.models import Household, Member

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="bench_fill is PostgreSQL's")


def test_a_bench_filled_household_shows_and_exports(client, cast):
    """The household page, the search by ID number, the masked export (CSV and .xlsx) and the
    clear one answer 200 on bench rows, with the values the SQL made."""
    with connection.cursor() as cursor:
        # The cast's rows wait for their deferred foreign-key checks, which forbid the fill's
        # ALTER TABLEs in the test's transaction: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    timings = fill.fill(40, provinces=("632524",), progress=lambda _line: None)
    assert timings["members"] == Member.objects.count() == 40
    checked = fill.verify_sample(40)
    assert checked == {"sampled": 40, "bidx_match": 40, "initials_match": 40}
    household = Household.objects.order_by("id").first()
    member = household.members.order_by("id").first()
    client.force_login(cast["county"])

    page = client.get(reverse("registry:household_detail", args=[household.pk]))
    assert page.status_code == 200
    assert member.id_number_masked in page.content.decode()
    number = fill.crypto.decrypt(member.id_number_enc)
    found = client.get(reverse("registry:household_list"), {"q": number})
    assert found.status_code == 200 and household.number in found.content.decode()

    export = client.get(reverse("registry:household_export") + "?format=csv")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1 + 40 and member.id_number_masked in {cell for row in rows for cell in row}
    assert client.get(reverse("registry:household_export")).status_code == 200
    clear = client.post(
        reverse("registry:household_export_clear") + "?format=csv",
        {"purpose": "基准数据核对", "format": "csv", "confirm": "on"},
    )
    assert clear.status_code == 200 and number in b"".join(clear.streaming_content).decode()
