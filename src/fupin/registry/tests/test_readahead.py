"""The .xlsx reader process (importing/readahead.py): same rows, errors carried over, stops when told."""

import multiprocessing
import os
import threading

import pytest

from fupin.registry.importing import readahead
from fupin.registry.importing.readers import FileRejected, open_source
from fupin.registry.tests._import_data import sample_rows, to_xlsx


def _rows(n, *, fail_at=None, die_at=None):
    for i in range(n):
        if i == fail_at:
            raise FileRejected("Excel 文件已损坏,无法读取。")
        if i == die_at:
            os._exit(3)
        yield (i + 2, [f"cell {i}", i])


def test_it_gives_every_row_in_order():
    assert list(readahead.read_ahead(_rows(2_345), batch=100)) == list(_rows(2_345))
    assert list(readahead.read_ahead(_rows(0))) == []


def test_it_sends_rows_of_text_as_text_and_anything_else_as_it_is():
    """Rows of strings and empty cells travel as one string per batch (an empty cell comes back as
    ""); a number, a date or a value holding a separator sends its batch pickled, unchanged."""
    text = [(2, ["王芳", None, "632524199001011234"]), (3, []), (4, ["", "x\ny"])]
    assert list(readahead.read_ahead(iter(text))) == [
        (2, ["王芳", "", "632524199001011234"]),
        (3, [""]),
        (4, ["", "x\ny"]),
    ]
    assert isinstance(readahead._pack(text), str)
    odd = [(2, ["a\x1fb", "c"]), (3, ["d\x1e"])]
    assert readahead._pack(odd) is odd
    assert list(readahead.read_ahead(iter(odd))) == odd
    mixed = [(2, ["a", 1.5, None])]
    assert readahead._pack(mixed) is mixed


def test_it_carries_an_error_in_the_sheet_over_to_the_reader():
    rows = readahead.read_ahead(_rows(500, fail_at=250), batch=100)
    with pytest.raises(FileRejected, match="已损坏"):
        list(rows)


def test_it_says_so_when_the_reading_process_dies():
    with pytest.raises(FileRejected, match="意外退出"):
        list(readahead.read_ahead(_rows(500, die_at=150), batch=100))


def test_closing_the_rows_stops_the_reading_process():
    rows = readahead.read_ahead(_rows(1_000_000), batch=100)
    assert next(rows) == (2, ["cell 0", 0])
    rows.close()
    assert not [p for p in multiprocessing.active_children() if p.name == "fupin-import-reader"]


def test_open_source_reads_an_xlsx_in_a_second_process_from_the_main_thread_only(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(to_xlsx(sample_rows()))
    source = open_source(path)
    assert [p.name for p in multiprocessing.active_children()] == ["fupin-import-reader"]
    assert len(list(source.rows)) == 6
    found = []
    thread = threading.Thread(target=lambda: found.append(readahead.available()))
    thread.start()
    thread.join()
    assert found == [False] and readahead.available()
