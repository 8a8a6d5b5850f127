"""The jobs API: one job's state and progress, for its owner only (someone else's job is a 404)."""

import datetime
import uuid
from typing import Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Path, Router, Schema

from fupin.jobs import selectors, services
from fupin.jobs.kinds import kind_of

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    label: str
    state: Literal["queued", "running", "done", "failed"]
    state_display: str
    done: int
    total: int
    percent: int | None
    message: str
    error: str
    result: dict
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    page: str
    file_url: str | None  # the generated file (the owner's download, audited), while it is kept


@router.get("/{job_id}", response=JobOut, summary="后台任务的状态与进度")
def get_job(request: HttpRequest, job_id: Path[uuid.UUID]):
    job = selectors.job_for(request.user, job_id)
    if job is None:
        raise Http404
    return JobOut(
        id=job.pk,
        kind=job.kind,
        title=str(kind_of(job.kind).title),
        label=job.label,
        state=job.state,
        state_display=str(job.get_state_display()),
        done=job.done,
        total=job.total,
        percent=job.percent,
        message=job.message,
        error=job.error,
        result=job.result,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        page=reverse("jobs:status", args=[job.pk]),
        file_url=reverse("jobs:download", args=[job.pk]) if services.job_file(job) else None,
    )
