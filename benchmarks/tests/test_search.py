"""The search benchmark's limit agrees with the list: same page, same counts, on real rows."""

import datetime

import pytest
from django.db import connection  # noqa: F401 - the skipif condition reads it

from benchmarks import search as bench_search
from fupin.registry import services
from fupin.registry.idnumbers import make_id_number

WORLD_LAYERS = ("households",)
SISTER_ID = make_id_number(area_code="632524", birth_date=datetime.date(1975, 4, 1), sequence=22, male=False)
NIECE_ID = make_id_number(area_code="632524", birth_date=datetime.date(1999, 2, 3), sequence=24, male=False)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the hand-written SQL is PostgreSQL's")
def test_the_search_gives_the_hand_written_sqls_page_and_count(cast, households):
    """bench_search's check on real rows: for every mode, the list's first page and its capped and
    exact counts equal those of the hand-written SQL it is measured against."""
    wang = households["wang"]
    services.member_add(by=None, household=wang, name="卓萨", id_number=SISTER_ID, relation="other")
    services.member_add(by=None, household=wang, name="扎西", id_number=NIECE_ID, relation="other")
    for cap in (0, 1, 1000):
        results = bench_search.run(prefix="632524", n=12, warmup=0, cap=cap)
        assert {r["mode"] for r in results} == set(bench_search.MODES)
