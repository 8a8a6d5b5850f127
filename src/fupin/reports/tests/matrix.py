"""Reports' part of the scope matrix (src/fupin/tests/test_scope_matrix.py).

The pieces are declared beside the code they check (matrix_rollup: the catalogue, the figures'
API and the back office; matrix_dashboard: the 驾驶舱 pages; matrix_profile: the village profile)
and merged here, with one world for all of them.
"""

from fupin.reports.tests import matrix_dashboard, matrix_profile, matrix_rollup, matrix_tabulations

_PARTS = (matrix_rollup, matrix_dashboard, matrix_profile, matrix_tabulations)

PAGES: dict = {name: page for part in _PARTS for name, page in part.PAGES.items()}
NOT_RECORDS: set = set().union(*(part.NOT_RECORDS for part in _PARTS))
API: dict = {name: call for part in _PARTS for name, call in part.API.items()}
ADMIN_OBJECTS: dict = {name: obj for part in _PARTS for name, obj in part.ADMIN_OBJECTS.items()}


def objects(objs: dict) -> dict:
    made: dict = {}
    for part in _PARTS:
        made.update(part.objects({**objs, **made}))
    return made
