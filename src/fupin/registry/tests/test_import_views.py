"""The import pages: upload, the job's page (polled by htmx), report download; only the starter sees a job.

Jobs run at once in tests (the root conftest); fupin/jobs/tests/test_worker.py runs one on a real queue."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fupin.registry.models import Household
from fupin.registry.tests._import_data import sample_rows, to_csv


def _login(client, user):
    client.force_login(user)


def _upload(client, rows, *, dry_run):
    data = {"file": SimpleUploadedFile("户.csv", to_csv(rows), content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "1"
    return client.post(reverse("registry:import_upload"), data)


def test_it_runs_an_upload_and_shows_its_status(client, cast):
    """Upload → the job's page with counts; the htmx poll gets the panel alone."""
    _login(client, cast["county"])
    assert client.get(reverse("registry:import_upload")).status_code == 200
    response = _upload(client, sample_rows(), dry_run=False)
    assert response.status_code == 302 and response.url.startswith("/jobs/")
    status = client.get(response.url)
    assert status.status_code == 200 and "导入完成" in status.content.decode()
    panel = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="job-panel"' in panel and "<html" not in panel and "hx-get" not in panel  # polling stops
    assert Household.objects.count() == 2


def test_it_gives_a_dry_run_report_to_its_starter_only(client, cast):
    """A dry run with errors writes nothing and offers the report; another user gets 404."""
    rows = sample_rows()
    rows[1]["主要致贫原因"] = "因懒"
    _login(client, cast["county"])
    status_url = _upload(client, rows, dry_run=True).url
    page = client.get(status_url).content.decode()
    assert "因懒" in page and "下载错误报告" in page
    report_url = reverse("registry:import_report", args=[status_url.rstrip("/").rsplit("/", 1)[-1]])
    assert client.get(report_url).status_code == 200
    assert not Household.objects.exists()
    client.logout()
    _login(client, cast["outsider"])
    assert client.get(status_url).status_code == 404
    assert client.get(report_url).status_code == 404


def test_it_refuses_users_without_the_add_permission(client, cast):
    """The unit officer (read-only) cannot reach the upload page or the template."""
    _login(client, cast["unitofficer"])
    assert client.get(reverse("registry:import_upload")).status_code == 403
    assert client.get(reverse("registry:import_template")).status_code == 403


def test_it_downloads_the_template(client, cast):
    """The template is an .xlsx attachment."""
    _login(client, cast["county"])
    response = client.get(reverse("registry:import_template"))
    assert response.status_code == 200 and response.content[:2] == b"PK"
