"""The exchange benchmark's two sides agree on the test world: the same people, in the same order,
with the same stored codes (PostgreSQL: the limit is its COPY)."""

import csv

import pytest
from django.db import connection

from benchmarks import exchange as bench

WORLD_LAYERS = ("households",)

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")


def test_both_sides_write_the_same_people_in_the_same_order(cast, households, tmp_path):
    ours, limit = tmp_path / "ours.csv", tmp_path / "copy.csv"
    assert bench.ours("632524", ours) == 3
    assert bench.limit("632524", limit) == 3
    with ours.open(encoding="utf-8-sig") as fh:
        mine = list(csv.reader(fh))
    with limit.open(encoding="utf-8") as fh:
        theirs = list(csv.reader(fh))
    assert len(mine) == len(theirs) + 1  # our header
    # 户编号, 人编号, 姓名, 区划代码 and 家庭人口数 are the same columns, row by row.
    header = mine[0]
    for row, copied in zip(mine[1:], theirs, strict=True):
        assert [row[header.index(h)] for h in ("户编号", "人编号", "姓名", "行政区划代码", "家庭人口数")] == [
            copied[5],
            copied[6],
            copied[7],
            copied[4],
            copied[19],
        ]


def test_the_run_reports_a_ratio(cast, households):
    result = bench.run(prefix="632524", rounds=1, say=lambda line: None)
    assert result["rows"] == 3
    assert result["ratio"] > 0
