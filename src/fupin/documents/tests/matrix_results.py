"""The results report's part of the scope matrix (src/fupin/tests/test_scope_matrix.py), for the lead
to merge into documents/tests/matrix.py: its page and API operation. No records of its own: the
report is of the cast's unit 大唐 (the MARKER), which assists 兴海县.

- the page offers the units the user may see: 兴海县's county officer is offered 大唐, 泾川县's
  (the outsider) is not ("list");
- the API's POST for 大唐: the outsider gets 404 (a unit out of scope answers as missing), the county
  officer starts the job (202).
"""

from fupin.testing import Page, plain_url

PAGES: dict = {
    "documents:results": Page(plain_url("documents:results"), "list"),
}
NOT_RECORDS: set = set()
API: dict = {
    "/api/documents/results": (
        lambda o: "/api/documents/results",
        ("POST", lambda o: {"unit": o["datang"].pk, "first": 2020, "last": 2020}),
    ),
}
ADMIN_OBJECTS: dict = {}


def objects(objs: dict) -> dict:
    return {}
