"""A job's generated file: written where output_file says, offered on the job's page and in the API,
downloaded by its owner only, every download audited, removed after FUPIN_JOB_FILE_DAYS days."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fupin.audit.models import AuditEvent
from fupin.jobs import services
from fupin.jobs.kinds import Kind, register
from fupin.jobs.models import Job
from fupin.jobs.services import enqueue, job_task, output_file

WORLD_LAYERS = ()

TABLE = register(Kind("tests.table", "生成统计表"))


@job_task
def make_table(job_id, *, county: str):
    path = output_file(job_id, f"../{county}_统计表.xlsx")  # a path in the name is dropped
    path.write_bytes(b"PK\x03\x04 table of " + county.encode())
    return {"count": 12, "masked": True, "filters": {"county": county}}


def _done_job(cast):
    return enqueue(TABLE.name, cast["county"], make_table, label="兴海县", county="632524")


def test_the_owner_downloads_the_file_once_done_and_each_download_is_audited(client, cast):
    job = _done_job(cast)
    assert job.state == Job.State.DONE and job.file == "632524_统计表.xlsx"
    client.force_login(cast["county"])
    page = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    url = reverse("jobs:download", args=[job.pk])
    assert url in page and "下载" in page
    before = AuditEvent.objects.filter(action="export").count()
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"PK\x03\x04 table of 632524"
        assert "attachment" in response["Content-Disposition"]
    events = AuditEvent.objects.filter(action="export").order_by("-pk")[:2]
    assert AuditEvent.objects.filter(action="export").count() == before + 2
    event = events[0]
    assert event.object_type == "tests.table" and event.actor_id == cast["county"].pk
    assert event.changes["count"] == 12 and event.changes["masked"] is True
    assert event.changes["filters"] == {"county": "632524"} and event.changes["format"] == "xlsx"
    api = client.get(f"/api/jobs/{job.pk}").json()
    assert api["file_url"] == url


@pytest.mark.parametrize("who", ["outsider", "cadre"])
def test_nobody_else_downloads_it(client, cast, who):
    job = _done_job(cast)
    client.force_login(cast[who])
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_job_without_a_file_or_not_done_offers_nothing(client, cast):
    job = Job.objects.create(kind=TABLE.name, owner=cast["county"], state=Job.State.RUNNING, file="x.xlsx")
    client.force_login(cast["county"])
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert client.get(f"/api/jobs/{job.pk}").json()["file_url"] is None


def test_old_files_are_removed_and_the_page_says_so(client, cast):
    old, fresh = _done_job(cast), _done_job(cast)
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    assert services.purge_files() == 1
    assert not services.files_dir(old.pk).exists() and services.files_dir(fresh.pk).exists()
    old.refresh_from_db()
    assert old.file == ""
    client.force_login(cast["county"])
    assert client.get(reverse("jobs:download", args=[old.pk])).status_code == 404
    assert client.get(reverse("jobs:download", args=[fresh.pk])).status_code == 200
