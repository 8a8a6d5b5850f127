"""Department screening's part of the scope matrix (src/fupin/tests/test_scope_matrix.py), for
monitoring's tests/matrix.py to merge: the list of batches and its export, a batch and its report,
the upload form, the API's list and batch; a 医保 batch of 兴海县 for them.

    from fupin.monitoring.tests import matrix_screening
    PAGES = {..., **matrix_screening.PAGES}
    NOT_RECORDS = {..., *matrix_screening.NOT_RECORDS}
    API = {..., **matrix_screening.API}
    def objects(objs): return {..., **matrix_screening.objects(objs)}
"""

from django.urls import reverse

from fupin.testing import Page, plain_url

MARKER = "兴海县医保名单.csv"  # the batch's file name, on the list and in its export


def _batch(name: str):
    return lambda o: reverse(name, args=[o["screening_batch"].pk])


PAGES = {
    "monitoring:screening_list": Page(plain_url("monitoring:screening_list"), "list", MARKER),
    "monitoring:screening_export": Page(plain_url("monitoring:screening_export"), "export", MARKER),
    "monitoring:screening_upload": Page(plain_url("monitoring:screening_upload"), "list-no-marker", MARKER),
    "monitoring:screening_batch": Page(_batch("monitoring:screening_batch"), "detail"),
    "monitoring:screening_report": Page(_batch("monitoring:screening_report"), "detail"),
}
# The mapping step of an upload: its id is kept in the uploader's session, so another user (and the
# uploader in another session) gets 404; an upload for a county outside the user's scope is refused
# on the form (monitoring/tests/test_screening.py).
NOT_RECORDS = {"monitoring:screening_map"}
# The POST of /api/monitoring/screening is a multipart upload for a county the caller names:
# another county's is 403 (test_screening.py); the GET lists the batches.
API = {
    "/api/monitoring/screening": (lambda o: "/api/monitoring/screening", "list", MARKER),
    "/api/monitoring/screening/{batch_id}": (
        lambda o: f"/api/monitoring/screening/{o['screening_batch'].pk}",
        "detail",
    ),
}


def objects(objs: dict) -> dict:
    """A 医保 list of 兴海县 with one matched row (扎西, when the households are in the world)."""
    from django.utils import timezone

    from fupin.core import crypto
    from fupin.monitoring.models import ScreeningBatch, ScreeningRow
    from fupin.testing import HEAD_ID

    batch = ScreeningBatch.objects.create(
        source="medical",
        county_id="632524",
        period=f"{timezone.localdate():%Y-%m}",
        file_name=MARKER,
        uploaded_by=objs.get("county"),
        rows=1,
        matched=1,
    )
    zhaxi = objs.get("zhaxi")
    ScreeningRow.objects.create(
        batch=batch,
        row_number=2,
        id_number_bidx=crypto.blind_index("id", HEAD_ID),
        name_masked="扎*",
        household=zhaxi,
        member=zhaxi.members.order_by("id").first() if zhaxi else None,
        amount="12345.50",
        event="住院",
    )
    return {"screening_batch": batch}
