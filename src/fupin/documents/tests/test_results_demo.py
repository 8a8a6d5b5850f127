"""The demo's results report of 国家能源集团 gives seed 002's figures, read back from the .docx.

The demo (demo/projects.py, outcomes.py, assistance.py, party.py) spreads seed 002's cumulative
figures ("十八大以来", the report of February 2021) over 2016–2020, and its staff donations over the
three 扶贫日 campaigns of 2018–2020; so the report that gives the seed's figures is 2016–2020's (a
2018–2020 report gives those years' part: 6.29亿元 direct, 2.02亿元 bought, 109 placed)."""

import io
import re
import zipfile

import docx
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from fupin.documents import results

# seed 002, as the seed writes them (and the demo records them)
SEED_002 = [
    "教育\n3.93亿元\n113个",
    "医疗健康\n9,259万元\n44个",
    "住房及饮水\n1.96亿元",
    "基础设施\n1.52亿元",
    "产业\n1.63亿元\n85个",
    "生态\n5,350万元",
    "累计购买帮扶地区农产品2.52亿元",
    "累计募集资金5,581.68万元",
    "帮助189人实现就业,其中招收贫困大学生59人",
    "引进帮扶资金474万元",
    "培训基层干部4,198人次、技术人员6,828人次",
    "35个党支部与9个县的35个村党支部开展结对共建",
    "累计选派干部55名",
    "等9个地区",
    # the seed's named projects: the largest of their categories
    "阿布泽鲁小学援建项目",
    "聂荣县农牧民住房改善项目(5793户)",
    "布拖县博作村8公里通村公路",
    "右玉县村级光伏扶贫电站(一)",
    "曲麻莱县黄河源休牧还草生态管护(一期)",
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        with transaction.atomic():
            call_command("regions", "load", verbosity=0, stdout=io.StringIO())
            call_command("demo", stdout=io.StringIO())
            yield
            transaction.set_rollback(True)


def _cells_text(document) -> str:
    """Paragraphs, then each table row's cells one per line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def test_the_demo_report_gives_seed_002s_figures(demo, db, tmp_path):
    from fupin.orgs.selectors import units_named

    unit = units_named("国家能源集团").get()
    out = tmp_path / "report.docx"
    call_command("results_report", "--unit", "国家能源集团", "--years", "2016-2020", "--out", str(out),
                 stdout=io.StringIO())  # fmt: skip
    text = _cells_text(docx.Document(str(out)))
    for figure in SEED_002:
        assert figure in text, figure
    assert "{{" not in text
    media = [n for n in zipfile.ZipFile(out).namelist() if n.startswith("word/media/")]
    assert len(media) == 2  # the two charts
    # Each figure is traced in the appendix with its exact value.
    report = results.gather(unit, 2016, 2020)
    traced = {row["label"]: row for row in report["sources"]}
    assert traced["教育类帮扶资金"]["exact"] == "393,000,000.00元"
    assert traced["职工爱心捐款"]["exact"] == "55,816,800.00元"
    assert traced["购买农产品"]["source"] == "指标 outcomes.bought"
    assert re.search(r"累计举办各类培训班11\d期", text)  # the seed: 110余期


def test_the_demo_report_of_2018_to_2020_is_those_years_part(demo, db):
    from fupin.orgs.selectors import units_named

    report = results.gather(units_named("国家能源集团").get(), 2018, 2020)
    assert report["funds"]["donations"] == "5,581.68万元"  # the three campaigns
    assert report["consumption"]["bought"] == "2.02亿元"  # 4,600 + 6,800 + 8,800万
    assert report["employment"]["placed_value"] == 109
    assert [t["year"] for t in report["targets"]][::6] == ["2018年", "2019年", "2020年"]
