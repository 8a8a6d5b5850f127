import gzip
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fupin.regions.files import SHIPPED_DATA
from fupin.regions.loader import LoadFailed, load_divisions
from fupin.regions.models import Region

# No shared cast: most tests load divisions into an empty table (the one cast test makes its own).
WORLD_LAYERS = None
REAL_DATA = Path("/work/shared/data/divisions")

GOOD = {
    "provinces.csv": "code,name\n63,青海省\n",
    "cities.csv": "code,name,provinceCode\n6325,海南藏族自治州,63\n",
    "areas.csv": "code,name,cityCode,provinceCode\n632524,兴海县,6325,63\n",
    "streets.csv": "code,name,areaCode,provinceCode,cityCode\n632524203,唐乃亥乡,632524,63,6325\n",
    "villages.csv": "code,name,streetCode,provinceCode,cityCode,areaCode\n"
    "632524203207,民族村村民委员会,632524203,63,6325,632524\n"
    "632524203208,下村村民委员会,632524203,63,6325,632524\n",
}


def write_tree(directory: Path, **overrides) -> Path:
    for name, text in {**GOOD, **overrides}.items():
        data = text if isinstance(text, bytes) else text.encode()
        (directory / name).write_bytes(data)
    return directory


def errors_of(directory: Path) -> list[str]:
    with pytest.raises(LoadFailed) as info:
        load_divisions(directory)
    return [str(e) for e in info.value.errors]


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.skipif(
    not REAL_DATA.is_dir(), reason="the national files are not in /work/shared/data/divisions"
)
def test_it_loads_the_full_national_files_and_a_second_run_changes_nothing():
    """All 665,276 divisions load with their levels; loading the same files again reports all unchanged."""
    first = load_divisions(REAL_DATA)
    assert {lv: c.inserted for lv, c in first.counts.items()} == {1: 31, 2: 342, 3: 2978, 4: 41352, 5: 620573}
    second = load_divisions(REAL_DATA)
    assert not second.changed
    assert {lv: c.unchanged for lv, c in second.counts.items()} == {
        1: 31,
        2: 342,
        3: 2978,
        4: 41352,
        5: 620573,
    }
    village = Region.objects.get(code="632524203207")
    assert (village.short_name, village.level, village.parent_id) == ("民族村", 5, "632524203")


@pytest.mark.django_db
def test_it_loads_the_shipped_subset():
    """The package's own data loads: every county, and the demo counties' villages."""
    result = load_divisions(SHIPPED_DATA)
    assert result.counts[3].inserted == 2978
    assert Region.objects.filter(code__startswith="632524", level=5).exists()
    assert Region.objects.get(code="632524").initials == "xhx"


@pytest.mark.django_db
def test_it_reports_updates_and_accepts_bom_and_gzip(tmp_path):
    """A renamed village is an update; a BOM and .csv.gz are accepted; a missing level file is allowed."""
    write_tree(tmp_path)
    load_divisions(tmp_path)
    for name in ("provinces.csv", "cities.csv", "areas.csv", "streets.csv"):
        (tmp_path / name).unlink()
    villages = GOOD["villages.csv"].replace("下村村民委员会", "上村村民委员会")
    (tmp_path / "villages.csv").unlink()
    (tmp_path / "villages.csv.gz").write_bytes(gzip.compress(("\ufeff" + villages).encode()))
    result = load_divisions(tmp_path)
    assert list(result.counts) == [5]
    assert (result.counts[5].updated, result.counts[5].unchanged) == (1, 1)
    assert Region.objects.get(code="632524203208").short_name == "上村"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"villages.csv": GOOD["villages.csv"] + "63252420320,短码村,632524203,63,6325,632524\n"},
            "villages.csv 第 4 行:区划代码 “63252420320” 应为 12 位数字",
        ),
        (
            {"villages.csv": GOOD["villages.csv"] + "632524999001,孤村,632524999,63,6325,632524\n"},
            "villages.csv 第 4 行:区划代码 632524999001 的上级 632524999 不存在",
        ),
        (
            {"villages.csv": GOOD["villages.csv"] + "632524203209,错村,632524203,63,6326,632524\n"},
            "villages.csv 第 4 行:cityCode 列为 “6326”,与区划代码 632524203209 的前 4 位不一致",
        ),
        (
            {
                "villages.csv": GOOD["villages.csv"].encode()
                + "632524203209,甘村委会,632524203,63,6325,632524\n".encode("gbk")
            },
            "villages.csv 第 4 行:不是有效的 UTF-8 编码",
        ),
        (
            {"streets.csv": "code,name,areaCode\n632524203,唐乃亥乡,632524\n"},
            "streets.csv 第 1 行:表头应为 code,name,areaCode,provinceCode,cityCode",
        ),
        (
            {
                "villages.csv": GOOD["villages.csv"]
                + "632524203207,民族村村民委员会,632524203,63,6325,632524\n"
            },
            "villages.csv 第 4 行:区划代码 632524203207 重复(首次出现在第 2 行)",
        ),
        (
            {"villages.csv": GOOD["villages.csv"] + "632524203209, ,632524203,63,6325,632524\n"},
            "villages.csv 第 4 行:区划代码 632524203209 的名称为空",
        ),
    ],
    ids=["bad-code", "orphan", "prefix-mismatch", "gbk", "header", "duplicate", "empty-name"],
)
def test_it_rejects_a_bad_file_naming_file_and_line_and_writes_nothing(tmp_path, overrides, expected):
    """Any bad row fails the whole load with a Chinese reason naming the file and line; nothing is written."""
    write_tree(tmp_path, **overrides)
    errors = errors_of(tmp_path)
    assert any(e.startswith(expected) for e in errors), errors
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_it_accepts_a_parent_already_in_the_database(tmp_path, cast):
    """Villages alone load when their township is already in the database; an unknown one is an orphan."""
    (tmp_path / "villages.csv").write_text(
        "code,name,streetCode,provinceCode,cityCode,areaCode\n632524203299,新村村委会,632524203,63,6325,632524\n"
    )
    assert load_divisions(tmp_path).counts[5].inserted == 1
    before = Region.objects.count()
    (tmp_path / "villages.csv").write_text(
        "code,name,streetCode,provinceCode,cityCode,areaCode\n632524204001,无上级村委会,632524204,63,6325,632524\n"
    )
    assert "632524204 不存在" in errors_of(tmp_path)[0]
    assert Region.objects.count() == before


@pytest.mark.django_db
def test_it_caps_the_error_list_and_counts_the_rest(tmp_path):
    """Thousands of bad rows give the first 100 reasons and the total."""
    bad = "".join(f"6325242032{i:02d},,632524203,63,6325,632524\n" for i in range(100)) * 2
    write_tree(tmp_path, **{"villages.csv": "code,name,streetCode,provinceCode,cityCode,areaCode\n" + bad})
    with pytest.raises(LoadFailed) as info:
        load_divisions(tmp_path)
    assert len(info.value.errors) == 100
    assert info.value.total == 200


@pytest.mark.django_db
def test_it_loads_and_fails_from_the_command_line(tmp_path, capsys):
    """`fupin regions load DIR` prints counts in Chinese; on bad input it lists the errors and exits non-zero."""
    write_tree(tmp_path)
    call_command("regions", "load", str(tmp_path))
    assert "村级\t2\t0\t0" in capsys.readouterr().out
    call_command("regions", "load", str(tmp_path))
    assert "没有任何变化" in capsys.readouterr().out
    write_tree(tmp_path, **{"provinces.csv": "code,name\n6,青海省\n"})
    with pytest.raises(CommandError):
        call_command("regions", "load", str(tmp_path))
    assert "provinces.csv 第 2 行" in capsys.readouterr().err


def test_it_extracts_a_reproducible_subset(tmp_path):
    """`regions extract` keeps every county but only the given counties' villages, byte for byte the same twice."""
    (tmp_path / "src").mkdir()
    write_tree(tmp_path / "src")
    call_command("regions", "extract", str(tmp_path / "src"), str(tmp_path / "a"))
    call_command("regions", "extract", str(tmp_path / "src"), str(tmp_path / "b"))
    a = (tmp_path / "a" / "villages.csv.gz").read_bytes()
    assert a == (tmp_path / "b" / "villages.csv.gz").read_bytes()
    assert b"632524203207" in gzip.decompress(a)
