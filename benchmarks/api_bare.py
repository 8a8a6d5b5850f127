"""The limit for `fupin bench_api`: a bare WSGI app that runs the API list's SQL and nothing else.

No Django: one psycopg connection per thread, kept open, the statements fupin ran for one
`GET /api/registry/households` (captured by bench_api and passed as a JSON file in
FUPIN_BENCH_SQL) executed in the same order, and the page's rows with the count as JSON. The
statements are fupin's own, so the page is chosen by the household table before the village names
and incomes are joined (registry.selectors.household_page), and the count stops at the cap
(`count` up to FUPIN_BENCH_COUNT_CAP, `count_capped` past it), on both sides.
"""

import json
import os
import threading
from pathlib import Path

import psycopg

_QUERIES: list[str] = json.loads(Path(os.environ["FUPIN_BENCH_SQL"]).read_text(encoding="utf-8"))
_CAP = int(os.environ["FUPIN_BENCH_COUNT_CAP"])
_local = threading.local()


def _cursor():
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        # Django's PostgreSQL backend uses client-side binding cursors; so does this.
        connection = _local.connection = psycopg.connect(
            os.environ["DATABASE_URL"], autocommit=True, cursor_factory=psycopg.ClientCursor
        )
    return connection.cursor()


def application(environ, start_response):
    count, items = 0, []
    with _cursor() as cursor:
        for sql in _QUERIES:
            cursor.execute(sql)
            rows = cursor.fetchall()
            if sql.startswith("SELECT COUNT(*)"):
                count = rows[0][0]
            elif len(rows) >= len(items):  # the page: the last statement with the most rows
                names = [column.name for column in cursor.description]
                items = [dict(zip(names, row, strict=True)) for row in rows]
    answer = {"count": min(count, _CAP), "count_capped": count > _CAP, "items": items}
    body = json.dumps(answer, ensure_ascii=False, default=str).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
