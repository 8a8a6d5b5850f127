"""The 报表 benchmark's two sides agree on real rows: our form (selectors, the offices' .xlsx) and
the one hand-written SQL over the rollup give the same numbers for 兴海县's monthly form."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from benchmarks import tabulations as bench
from fupin.monitoring.tests.test_indicators import build as monitoring_records
from fupin.reports import services
from fupin.testing import XINGHAI

pytestmark = pytest.mark.django_db


def _refreshed(made: dict) -> dict:
    services.refresh()
    return {}


WORLD_LAYERS = ("households", monitoring_records, _refreshed)


def test_both_sides_give_the_hand_count(world):
    result = bench.run(county=XINGHAI, period="2026-03", n=2)
    # 3 households, 5 people (monitoring/tests/test_indicators.py): 唐乃亥乡 2/4, 河卡镇 1/1.
    assert [Decimal(v) for v in result["answer"]["合计"][:2]] == [3, 5]
    assert [Decimal(v) for v in result["answer"]["唐乃亥乡"][:2]] == [2, 4]
    assert result["rows"] == 3 and result["ours_p50"] > 0 and result["limit_p50"] > 0


def test_the_sides_are_compared_for_a_form_with_a_ratio_and_a_quarter(world):
    assert bench.run(county=XINGHAI, form_code="secretary_coverage", n=1)["rows"] == 3
    notice = bench.run(county=XINGHAI, form_code="monitoring_quarterly", period="2026-Q1", n=1)
    # 新增识别 1 户 (0 脱贫不稳定, 1 边缘易致贫, 0 突发严重困难), 2 人; 风险消除 1 户, 1 人.
    assert [Decimal(v) for v in notice["answer"]["合计"]] == [1, 0, 1, 0, 2, 1, 1]


def test_the_command_prints_both_and_the_ratio(world):
    out = io.StringIO()
    call_command("bench_tabulation", county=XINGHAI, period="2026-03", samples=2, stdout=out)
    text = out.getvalue()
    assert "ours" in text and "limit" in text and "数字相同" in text
