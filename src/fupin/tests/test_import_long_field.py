"""A CSV cell over the csv module's 131,072-character limit is refused like any other bad cell:
by row and column, on the command line and on the web (it was a traceback and "内部错误")."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from fupin.registry.models import Household
from fupin.registry.tests._import_data import sample_rows, to_csv

LONG = "藏" * 200_000


@pytest.fixture(autouse=True)
def _the_csv_modules_own_limit():
    """The limit is process-wide: start from Python's default, as a fresh `fupin` process does."""
    before = csv.field_size_limit(131_072)
    yield
    csv.field_size_limit(before)


def _file_with_a_long_cell() -> bytes:
    rows = sample_rows()
    rows[1]["民族"] = LONG  # the third line of the file (the header is the first)
    return to_csv(rows)


def test_the_command_line_names_the_row_and_column(cast, tmp_path):
    path = tmp_path / "户.csv"
    path.write_bytes(_file_with_a_long_cell())
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现 1 处错误"):
        call_command("import", "households", str(path), stdout=io.StringIO(), stderr=err)
    assert "第 3 行 [民族]" in err.getvalue() and "不能超过 20 个字" in err.getvalue()
    assert not Household.objects.exists()


def test_the_web_import_names_the_row_and_column(client, cast):
    client.force_login(cast["county"])
    upload = SimpleUploadedFile("户.csv", _file_with_a_long_cell(), content_type="text/csv")
    status_url = client.post(reverse("registry:import_upload"), {"file": upload, "dry_run": "1"}).url
    page = client.get(status_url).content.decode()
    assert "内部错误" not in page
    assert "民族" in page and "不能超过 20 个字" in page
    assert LONG not in page  # the report shows a cut value, not 200,000 characters
    assert not Household.objects.exists()
