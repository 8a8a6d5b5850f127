"""The results-report benchmark's two sides agree (the same text) on a small world, and the command
prints both and the ratio."""

import io

import pytest
from django.core.management import call_command

from benchmarks import results as bench
from fupin.documents.tests.test_results import build

pytestmark = pytest.mark.django_db

WORLD_LAYERS = (build,)


def test_both_sides_give_the_same_report(cast):
    result = bench.run(unit=cast["p"], first=2019, last=2020, n=2)
    assert result["figures"] > 20 and result["ours_p50"] > 0 and result["limit_p50"] > 0
    assert result["span"] == "2019—2020年"


def test_the_command_prints_both_and_the_ratio(cast):
    out = io.StringIO()
    call_command("bench_results", unit="成效集团", years="2019-2020", samples=1, stdout=out)
    text = out.getvalue()
    assert "ours" in text and "limit" in text and "两边文本相同" in text and "比值" in text
