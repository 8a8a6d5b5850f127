"""The 驾驶舱's part of reports' scope matrix (reports/tests/matrix.py merges it).

The home page at a division of 兴海县 (民族村) is a 404 for the outsider, like a division that does
not exist; the wall screen names the county officer's area (兴海县) and not the outsider's.
"""

from fupin.testing import MINZU_VILLAGE, Page, plain_url

PAGES: dict = {
    "dashboard": Page(lambda o: f"/?division={MINZU_VILLAGE}", "detail"),
    "reports:dashboard_wall": Page(plain_url("reports:dashboard_wall"), "list", "兴海县"),
}
NOT_RECORDS: set = set()
API: dict = {}
ADMIN_OBJECTS: dict = {}


def objects(objs: dict) -> dict:
    return {}
