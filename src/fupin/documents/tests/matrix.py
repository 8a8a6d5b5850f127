"""Documents' part of the scope matrix (src/fupin/tests/test_scope_matrix.py).

The pieces are declared beside the code they check (matrix_cards: 明白卡 and 一户一档; matrix_results:
the assisting unit's results report) and merged here, with one world for both.
"""

from fupin.documents.tests import matrix_cards, matrix_results

_PARTS = (matrix_cards, matrix_results)

PAGES: dict = {name: page for part in _PARTS for name, page in part.PAGES.items()}
NOT_RECORDS: set = set().union(*(part.NOT_RECORDS for part in _PARTS))
API: dict = {name: call for part in _PARTS for name, call in part.API.items()}
ADMIN_OBJECTS: dict = {name: obj for part in _PARTS for name, obj in part.ADMIN_OBJECTS.items()}


def objects(objs: dict) -> dict:
    made: dict = {}
    for part in _PARTS:
        made.update(part.objects({**objs, **made}))
    return made
