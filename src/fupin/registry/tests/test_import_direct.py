"""The fast path of an import (importing/direct.py), and every way back to the staging path.

The fast path must write exactly what the staging path writes, and any file it is not sure of must
end as if it had never been tried: rolled back, then imported (or refused) by the staging path.
"""

import pytest

from fupin.registry.importing import direct
from fupin.registry.importing.importer import run_import
from fupin.registry.models import Household, Member
from fupin.registry.tests._import_data import VILLAGE, member_row, sample_rows, to_csv, to_xlsx

OTHER_VILLAGE = "632524101206"  # 宁曲村, also 兴海县

# Columns compared between the two paths: all but keys, timestamps and ciphertexts (a fresh nonce
# each time); the blind indexes stand for the encrypted values.
HH_FIELDS = [
    f.attname
    for f in Household._meta.concrete_fields
    if f.attname not in ("id", "created_at", "updated_at") and not f.attname.endswith("_enc")
]
M_FIELDS = [
    f.attname
    for f in Member._meta.concrete_fields
    if f.attname not in ("id", "household_id", "created_at", "updated_at") and not f.attname.endswith("_enc")
]


def _file(tmp_path, rows, name="a.csv"):
    path = tmp_path / name
    path.write_bytes(to_xlsx(rows) if name.endswith(".xlsx") else to_csv(rows))
    return path


def _registry() -> tuple[list, list]:
    households = list(Household.objects.order_by("number").values_list(*HH_FIELDS))
    members = list(Member.objects.order_by("id_number_bidx").values_list("household__number", *M_FIELDS))
    return households, members


def _rows_two_villages(households=6, per=3):
    """The second village first appears in a later batch: its look-up waits for the writer."""
    rows = []
    for h in range(households):
        village = VILLAGE if h < households // 2 else OTHER_VILLAGE
        for k in range(per):
            rows.append(member_row(f"{village}{h:05d}", h * per + k, head=k == 0, village=village))
    return rows


@pytest.mark.parametrize("name", ["a.csv", "a.xlsx"])
def test_it_writes_what_the_staging_path_writes(cast, tmp_path, name):
    """Same file, both paths (--partial forces the staging one): the same households and members."""
    path = _file(tmp_path, _rows_two_villages(), name)
    fast = run_import(path, user=cast["county"], batch_size=4)
    assert (fast.path, fast.fallback, fast.error_count) == ("direct", "", 0)
    assert (fast.counts.households_created, fast.counts.members_created) == (6, 18)
    written = _registry()
    assert Household.objects.get(number=f"{VILLAGE}00001").head_name == "成员3"
    assert Household.objects.filter(village_id=OTHER_VILLAGE).count() == 3
    assert {h.member_count for h in Household.objects.all()} == {3}
    Member.objects.all().delete()
    Household.objects.all().delete()
    staged = run_import(path, user=cast["county"], partial=True)
    assert staged.path == "staging" and staged.counts == fast.counts
    assert _registry() == written


def test_it_writes_in_bounded_batches_of_whole_households(cast, tmp_path, monkeypatch):
    """Memory: a batch is about batch_size members, never a household cut in two."""
    sent = []
    real = direct._Writer.send
    monkeypatch.setattr(direct._Writer, "send", lambda self, batch: (sent.append(batch), real(self, batch)))
    result = run_import(_file(tmp_path, _rows_two_villages(households=7)), user=cast["county"], batch_size=4)
    assert result.path == "direct"
    sizes = [sum(len(members) for _h, members, _income in batch) for batch in sent]
    assert sizes == [6, 6, 6, 3]  # whole households of 3, sent once a batch holds 4 or more members
    assert Member.objects.count() == 21


def _two_heads(rows):
    rows[1]["与户主关系"] = "户主"


def _columns_differ(rows):
    rows[2]["住房面积(平方米)"] = "60"


def _split_household(rows):
    rows.append(rows.pop(1))  # a member of the first household at the end of the file (no head there)


def _bad_cell(rows):
    rows[10]["务工时间(月)"] = "13"


def _repeated_id(rows):
    rows[16].update({"身份证号": rows[0]["身份证号"], "性别": rows[0]["性别"]})


@pytest.mark.parametrize(
    ("change", "reason", "accepted"),
    [
        (_bad_cell, "row 12", False),
        (_two_heads, "2 heads", False),
        (_columns_differ, "household columns differ", False),
        (_repeated_id, "write: ", False),  # in a later batch: the unique index
        (_split_household, "0 heads", True),  # the staging path takes it as it is
    ],
    ids=["bad-cell", "two-heads", "columns-differ", "repeated-id", "split-household"],
)
def test_it_falls_back_to_the_staging_path(cast, tmp_path, change, reason, accepted):
    """Whatever the direct attempt wrote is rolled back; the staging path's answer stands alone."""
    rows = _rows_two_villages()
    change(rows)
    path = _file(tmp_path, rows)
    expected = run_import(path, user=cast["county"], dry_run=True)  # the staging path's verdict
    result = run_import(path, user=cast["county"], batch_size=4)
    assert result.path == "staging" and reason in result.fallback
    assert [(e.line, e.column, e.reason) for e in result.errors] == [
        (e.line, e.column, e.reason) for e in expected.errors
    ]
    assert result.written is accepted and result.rows == len(rows)
    if accepted:
        assert result.counts == expected.counts
        assert Member.objects.count() == len(rows) and Household.objects.count() == 6
    else:
        assert not Household.objects.exists() and not Member.objects.exists()


def test_a_second_import_goes_the_staging_way_and_changes_nothing(cast, tmp_path):
    path = _file(tmp_path, sample_rows())
    assert run_import(path, user=cast["county"]).path == "direct"
    before = _registry()
    again = run_import(path, user=cast["county"])
    assert again.path == "staging" and again.fallback.startswith("write: ")
    assert not again.counts.changed and _registry() == before


def test_it_adds_new_households_next_to_registered_ones(cast, tmp_path):
    """A file of new households in a village that has others: only the new ones are written."""
    run_import(_file(tmp_path, sample_rows(households=1), "old.csv"), user=cast["county"])
    new = sample_rows(households=3)[3:]
    result = run_import(_file(tmp_path, new, "new.csv"), user=cast["county"])
    assert result.path == "direct" and result.counts.households_created == 2
    assert Household.objects.count() == 3 and Member.objects.count() == 9


def test_dry_runs_and_partial_imports_take_the_staging_path(cast, tmp_path):
    path = _file(tmp_path, sample_rows())
    assert run_import(path, user=cast["county"], dry_run=True).path == "staging"
    assert run_import(path, user=cast["county"], partial=True).path == "staging"
