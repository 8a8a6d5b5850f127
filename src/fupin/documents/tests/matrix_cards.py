"""明白卡 and 一户一档's part of the scope matrix (src/fupin/tests/test_scope_matrix.py), merged into
documents/tests/matrix.py. The records are the registry's: 扎西 of 民族村 (`zhaxi`).

The card, the file and the print page of a household of 兴海县 are 404 for the outsider; the village
batch page is a form (the outsider's POST for 民族村 is refused under the field:
documents/tests/test_cards.py); the API's batch answers 404 for a village outside the caller's scope.
"""

from fupin.testing import MINZU_VILLAGE, Page, object_url, plain_url

PAGES: dict = {
    "documents:card_print": Page(object_url("documents:card_print", "zhaxi"), "detail"),
    "documents:card": Page(object_url("documents:card", "zhaxi"), "detail"),
    "documents:household_file": Page(object_url("documents:household_file", "zhaxi"), "detail"),
    "documents:card_batch": Page(plain_url("documents:card_batch"), "list-no-marker"),
}
NOT_RECORDS: set = set()
API: dict = {
    "/api/documents/households/{household_id}/card": (
        lambda o: f"/api/documents/households/{o['zhaxi'].pk}/card",
        "detail",
    ),
    "/api/documents/households/{household_id}/file": (
        lambda o: f"/api/documents/households/{o['zhaxi'].pk}/file",
        "detail",
    ),
    "/api/documents/cards/batch": (
        lambda o: "/api/documents/cards/batch",
        ("POST", lambda o: {"village": MINZU_VILLAGE, "size": "A5"}),
    ),
}
ADMIN_OBJECTS: dict = {}


def objects(objs: dict) -> dict:
    return {}
