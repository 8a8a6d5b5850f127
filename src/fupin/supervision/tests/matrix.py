"""Supervision's part of the scope matrix (src/fupin/tests/test_scope_matrix.py): its pages, API
operations and back-office objects, and `objects(objs)`, its records of 兴海县's world."""

PAGES: dict = {}
NOT_RECORDS: set = set()
API: dict = {}
ADMIN_OBJECTS: dict = {}


def objects(objs: dict) -> dict:
    return {}
