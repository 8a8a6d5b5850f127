"""The job page: progress polled by htmx (the panel alone) until the job is done, then its result.

Only the job's owner sees it; anyone else gets 404, as for a job that does not exist.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fupin.jobs import selectors
from fupin.jobs.kinds import kind_of


def job_context(job) -> dict:
    kind = kind_of(job.kind)
    return {
        "job": job,
        "kind": kind,
        "result": job.result,
        "links": kind.links(job) if job.state == job.State.DONE else [],
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
