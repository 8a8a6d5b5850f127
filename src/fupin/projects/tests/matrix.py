"""This app's part of the scope matrix (src/fupin/tests/test_scope_matrix.py).

PAGES, API and ADMIN_OBJECTS use the same kinds as the central matrix; `objects(objs)` makes this
app's records in 兴海县's world (objs holds the cast and the registry's households) and returns
them by name for the builders.
"""

PAGES: dict = {}
NOT_RECORDS: set[str] = set()
API: dict = {}
ADMIN_OBJECTS: dict = {}


def objects(objs: dict) -> dict:
    return {}
