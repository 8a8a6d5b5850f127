"""The job page: progress polled by htmx (the panel alone) until the job is done, then its result
and the file it generated, if any.

Only the job's owner sees it or downloads its file; anyone else gets 404, as for a job that does not
exist.
"""

import mimetypes

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fupin.core.lists import audit_export
from fupin.jobs import selectors, services
from fupin.jobs.kinds import kind_of


def job_context(job) -> dict:
    kind = kind_of(job.kind)
    return {
        "job": job,
        "kind": kind,
        "result": job.result,
        "links": kind.links(job) if job.state == job.State.DONE else [],
        "file": services.job_file(job),
        "file_days": settings.FUPIN_JOB_FILE_DAYS,
    }


@login_required
@require_GET
def status(request, job_id):
    job = selectors.job_for(request.user, job_id)
    if job is None:
        raise Http404
    context = job_context(job)
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_panel.html", context)
    return render(request, "jobs/status.html", context)


@login_required
@require_GET
def download(request, job_id):
    """The job's file, once per click, each download audited in the export shape (what, how many rows,
    masked or clear, with the filters the task recorded in its result)."""
    job = selectors.job_for(request.user, job_id)
    path = services.job_file(job) if job is not None else None
    if path is None:
        raise Http404
    result = job.result or {}
    audit_export(
        request=request,
        name=job.kind,
        title=job.label or str(kind_of(job.kind).title),
        filters=result.get("filters") or {},
        count=int(result.get("count") or 0),
        masked=bool(result.get("masked", True)),
        purpose=str(result.get("purpose") or ""),
        fmt=path.suffix.lstrip(".") or "file",
    )
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type=content_type)
