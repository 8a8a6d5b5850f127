"""A job from the queue to its page, its API answer and the command line.

Jobs run at once in tests (huey's immediate mode, the root conftest): `enqueue` returns when the
task has run. test_worker.py runs one through a real consumer process."""

import io
import logging
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from fupin.jobs import selectors, services
from fupin.jobs.console import follow
from fupin.jobs.kinds import FAILED, Kind, register
from fupin.jobs.models import Job
from fupin.jobs.services import JobFailed, enqueue, job_task, progress

WORLD_LAYERS = ()  # the cast alone, built once for the module
SECRET = "632524199001011234 at line 7 of secret_module.py"

COUNT = register(
    Kind(
        "tests.count",
        "数一数",
        links=lambda job: [("查看结果", f"/result/{job.result['counted']}/")],
        parent=("core:home", "首页"),
        again="再数一次",
    )
)
seen_while_running = []


@job_task
def count(job_id, *, upto: int):
    for n in range(1, upto + 1):
        progress(job_id, n, upto, f"已数到 {n}", force=True)
        seen_while_running.append(selectors.job_by_id(job_id))
    return {"counted": upto}


@job_task
def explode(job_id):
    raise ValueError(SECRET)


@job_task
def refuse(job_id):
    raise JobFailed("文件的第 3 行缺少身份证号。")


def test_a_job_goes_from_the_queue_to_done_reporting_progress(cast):
    seen_while_running.clear()
    job = enqueue(COUNT.name, cast["county"], count, label="民族村", upto=3)
    assert [(j.state, j.done, j.total, j.message, j.percent) for j in seen_while_running] == [
        ("running", 1, 3, "已数到 1", 33),
        ("running", 2, 3, "已数到 2", 66),
        ("running", 3, 3, "已数到 3", 99),  # 100 % only once it is done
    ]
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.message, job.percent) == ("done", 3, 3, "已数到 3", 100)
    assert job.result == {"counted": 3} and job.error == ""
    assert job.created_at <= job.started_at <= job.finished_at
    assert services.queue().get(services.live_key(job.pk), peek=True) is None  # the live progress is cleared


def test_the_job_page_shows_progress_then_the_result_link(client, cast):
    job = enqueue(COUNT.name, cast["county"], count, label="民族村", upto=2)
    client.force_login(cast["county"])
    page = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "数一数" in page and "民族村" in page and "已完成" in page and "100%" in page
    assert 'href="/result/2/"' in page and "查看结果" in page and "再数一次" in page
    assert "hx-get" not in page  # done: no more polling


def test_a_running_job_is_polled_every_second(client, cast):
    job = Job.objects.create(kind=COUNT.name, owner=cast["county"], state=Job.State.RUNNING, total=10)
    progress(job.pk, 4, 10, "已数到 4", force=True)
    client.force_login(cast["county"])
    url = reverse("jobs:status", args=[job.pk])
    panel = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in panel and 'id="job-panel"' in panel
    assert f'hx-get="{url}"' in panel and 'hx-trigger="every 1s"' in panel
    assert 'value="40"' in panel and "已数到 4" in panel and "进行中" in panel
    queued = Job.objects.create(kind=COUNT.name, owner=cast["county"])
    page = client.get(reverse("jobs:status", args=[queued.pk])).content.decode()
    assert "排队" in page and "hx-get" in page


def test_a_failure_shows_a_chinese_message_and_logs_the_traceback(client, cast, caplog):
    with caplog.at_level(logging.ERROR, logger="fupin.jobs.services"):
        job = enqueue(COUNT.name, cast["county"], explode)
    assert job.state == "failed" and job.error == str(FAILED) and job.finished_at
    assert "Traceback" in caplog.text and "ValueError" in caplog.text  # the log has it …
    client.force_login(cast["county"])
    page = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "任务执行时发生内部错误" in page and "失败" in page
    for leak in ("Traceback", "ValueError", "632524199001011234", "secret_module"):  # … the page does not
        assert leak not in page
    api = client.get(f"/api/jobs/{job.pk}").content.decode()
    assert "ValueError" not in api and "632524199001011234" not in api


def test_a_task_can_fail_with_its_own_message(cast):
    job = enqueue(COUNT.name, cast["county"], refuse)
    assert job.state == "failed" and job.error == "文件的第 3 行缺少身份证号。"


def test_a_queue_that_cannot_take_the_job_fails_it_with_a_reason(cast):
    def unreachable(job_id, **params):
        raise ConnectionError("redis://10.0.0.1:6379 refused")

    job = enqueue(COUNT.name, cast["county"], unreachable)
    assert job.state == "failed" and "任务队列不可用" in job.error and "redis" not in job.error


def test_a_job_interrupted_by_a_stopping_consumer_is_marked_failed(cast):
    job = Job.objects.create(kind=COUNT.name, owner=cast["county"], state=Job.State.RUNNING)
    services.interrupted(count.s(str(job.pk), upto=3))
    job.refresh_from_db()
    assert job.state == "failed" and "中断" in job.error


@pytest.mark.parametrize("who", ["outsider", "cadre"])
def test_only_the_owner_sees_a_job(client, cast, who):
    job = enqueue(COUNT.name, cast["county"], count, upto=1)
    client.force_login(cast[who])
    assert client.get(reverse("jobs:status", args=[job.pk])).status_code == 404
    assert client.get(f"/api/jobs/{job.pk}").status_code == 404
    assert client.get(reverse("jobs:status", args=[uuid.uuid4()])).status_code == 404
    client.logout()
    assert client.get(reverse("jobs:status", args=[job.pk])).status_code == 302  # to the login page
    assert client.get(f"/api/jobs/{job.pk}").status_code == 401


def test_the_api_gives_the_job_to_its_owner(client, cast):
    job = enqueue(COUNT.name, cast["county"], count, label="民族村", upto=2)
    client.force_login(cast["county"])
    answer = client.get(f"/api/jobs/{job.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["id"] == str(job.pk) and body["kind"] == "tests.count" and body["title"] == "数一数"
    assert (body["state"], body["state_display"], body["percent"]) == ("done", "已完成", 100)
    assert (body["done"], body["total"], body["result"]) == (2, 2, {"counted": 2})
    assert body["page"] == reverse("jobs:status", args=[job.pk]) and body["error"] == ""
    assert client.get("/api/jobs/not-a-uuid").status_code == 422
    document = client.get("/api/openapi.json").json()
    assert "get" in document["paths"]["/api/jobs/{job_id}"]


def test_the_command_line_follows_a_job_to_its_end(cast):
    job = enqueue(COUNT.name, None, count, label="兴海县", upto=3)
    out = io.StringIO()
    call_command("jobs", str(job.pk), "--wait", stdout=out)
    assert "数一数 · 兴海县" in out.getvalue() and "100% 已完成 已数到 3" in out.getvalue()
    out = io.StringIO()
    call_command("jobs", stdout=out)  # the latest jobs
    assert str(job.pk) in out.getvalue() and "命令行" in out.getvalue()
    failed = enqueue(COUNT.name, None, refuse)
    with pytest.raises(CommandError, match="缺少身份证号"):
        call_command("jobs", "--wait", str(failed.pk), stdout=io.StringIO())
    with pytest.raises(CommandError, match="没有编号"):
        call_command("jobs", str(uuid.uuid4()), stdout=io.StringIO())


def test_follow_prints_each_change_and_hints_at_a_missing_consumer(cast):
    queued = Job.objects.create(kind=COUNT.name)  # no consumer will take it
    out = io.StringIO()
    job = follow(queued.pk, out, interval=0.01, timeout=0.05, hint_after=0.0)
    assert job.state == "queued"
    assert "排队中" in out.getvalue() and "fupin worker" in out.getvalue()
    assert follow(uuid.uuid4(), io.StringIO()) is None


def test_the_queue_check_runs(db):
    out = io.StringIO()
    call_command("jobs", "--check", stdout=out)
    assert "100% 已完成" in out.getvalue() and "任务队列正常" in out.getvalue()
