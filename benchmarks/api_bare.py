"""The limit for `fupin bench_api`: a bare WSGI app that runs the API list's SQL and nothing else.

No Django: one psycopg connection per thread, kept open, the statements fupin ran for one
`GET /api/registry/households` (captured by bench_api and passed as a JSON plan in FUPIN_BENCH_SQL)
executed in the same order, and the same answer as JSON. A fair limit, not a shortcut:

- the same authentication: the bearer key from the request's header, hashed (SHA-256), looked up
  with fupin's own token statement (its hash a parameter, not the captured literal); no row, a
  revoked or expired token or an inactive user is a 401, as in fupin;
- the same SQL: fupin's statements, so the page is chosen by the household table before the village
  names and incomes are joined (registry.selectors.household_page), and the count stops at the cap;
- the same JSON: the items in HouseholdOut's fields and order, with the status label, `count` up to
  the cap, `capped`, `next` (the cursor of the last item's number and id, when a next page exists)
  and `count_capped`; bench_api compares the two answers whole before measuring and stops when
  they differ.
"""

import base64
import datetime
import hashlib
import json
import os
import threading
from pathlib import Path

import psycopg

UNAUTHORIZED = json.dumps({"detail": "未登录或令牌无效。"}, ensure_ascii=False).encode()


def make_application(plan: dict, cursor_of):
    """The WSGI app for `plan` (see bench_api.bare_plan); `cursor_of()` gives a cursor of an open
    connection (autocommit, client-side binding, as Django's)."""
    statements = plan["statements"]
    token_at, count_at, page_at = plan["token"], plan["count"], plan["page"]
    cap, limit, fields = plan["cap"], plan["limit"], plan["fields"]
    renames, labels, keyset = plan["renames"], plan["labels"], plan["keyset"]

    def usable(cursor, row) -> bool:
        if row is None:
            return False
        found = dict(zip((c.name for c in cursor.description), row, strict=True))
        expires = found["expires_at"]
        now = datetime.datetime.now(datetime.UTC)
        return found["revoked_at"] is None and (expires is None or expires > now) and found["is_active"]

    def application(environ, start_response):
        scheme, _, key = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        count, items, cursor_values = 0, [], None
        with cursor_of() as cursor:
            authorized = scheme.lower() == "bearer" and 0 < len(key) <= 200
            for i, sql in enumerate(statements):
                if not authorized:
                    break
                if i == token_at:
                    cursor.execute(sql, (hashlib.sha256(key.encode()).hexdigest(),))
                    authorized = usable(cursor, cursor.fetchone())
                    continue
                cursor.execute(sql)
                rows = cursor.fetchall()
                if i == count_at:
                    count = rows[0][0]
                elif i == page_at:
                    names = [renames.get(c.name, c.name) for c in cursor.description]
                    for row in rows[:limit]:
                        item = dict(zip(names, row, strict=True))
                        item["status_display"] = labels.get(item["status"], item["status"])
                        items.append({name: item[name] for name in fields})
                    if keyset and len(rows) > limit:  # a next page: the last item's sort values
                        cursor_values = [items[-1][name] for name in keyset]
        if not authorized:
            headers = [("Content-Type", "application/json; charset=utf-8")]
            start_response("401 Unauthorized", [*headers, ("Content-Length", str(len(UNAUTHORIZED)))])
            return [UNAUTHORIZED]
        capped = count > cap
        following = None
        if cursor_values is not None:  # as core.lists._encode
            raw = json.dumps(cursor_values, default=str).encode()
            following = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        answer = {
            "items": items,
            "count": min(count, cap),
            "capped": capped,
            "next": following,
            "count_capped": capped,
        }
        body = json.dumps(answer, ensure_ascii=False, default=str, separators=(",", ":")).encode()
        headers = [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body)))]
        start_response("200 OK", headers)
        return [body]

    return application


_local = threading.local()


def _thread_cursor():
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        # Django's PostgreSQL backend uses client-side binding cursors; so does this.
        # The planner settings of fupin's connections too (settings: random_page_cost), so that
        # both sides' statements are planned alike.
        options = (
            {"options": os.environ["FUPIN_BENCH_PG_OPTIONS"]}
            if os.environ.get("FUPIN_BENCH_PG_OPTIONS")
            else {}
        )
        connection = _local.connection = psycopg.connect(
            os.environ["DATABASE_URL"], autocommit=True, cursor_factory=psycopg.ClientCursor, **options
        )
    return connection.cursor()


if "FUPIN_BENCH_SQL" in os.environ:  # under gunicorn, started by bench_api
    application = make_application(
        json.loads(Path(os.environ["FUPIN_BENCH_SQL"]).read_text(encoding="utf-8")), _thread_cursor
    )
