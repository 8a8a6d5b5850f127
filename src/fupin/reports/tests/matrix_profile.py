"""Part of reports' scope matrix (reports/tests/matrix.py merges it): 村情画像, the village profile.

Its rows are the villages of the reader's scope (with the rollup's values): the county officer of
兴海县 sees 民族村, the outsider of 泾川县 only 凤凰村. It needs no record of its own."""

from fupin.testing import Page, plain_url

VILLAGE = "民族村"  # 632524203207, a village of 兴海县

PAGES: dict = {
    "reports:village_profile_list": Page(plain_url("reports:village_profile_list"), "list", VILLAGE),
    "reports:village_profile_export": Page(plain_url("reports:village_profile_export"), "export", VILLAGE),
}
NOT_RECORDS: set = set()
API: dict = {}
ADMIN_OBJECTS: dict = {}


def objects(objs: dict) -> dict:
    return {}
