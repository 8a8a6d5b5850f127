"""Reads of the jobs app: a job for its owner (the web, the API) or for the command line."""

import logging
import uuid

from fupin.jobs.models import Job

log = logging.getLogger(__name__)


def _uuid(job_id) -> uuid.UUID | None:
    if isinstance(job_id, uuid.UUID):
        return job_id
    try:
        return uuid.UUID(str(job_id))
    except ValueError:
        return None


def with_progress(job: Job) -> Job:
    """The job with its live progress while it runs (kept in the queue's storage, see fupin.jobs)."""
    if job.state != Job.State.RUNNING:
        return job
    from fupin.jobs.services import live_key, queue

    try:
        live = queue().get(live_key(job.pk), peek=True) or {}
    except Exception:
        log.warning("could not read the progress of job %s", job.pk, exc_info=True)
        live = {}
    job.done = live.get("done", job.done)
    job.total = live.get("total", job.total)
    job.message = live.get("message", job.message)
    return job


def job_for(user, job_id) -> Job | None:
    """The job if `user` started it, else None: someone else's job looks like a missing one."""
    pk = _uuid(job_id)
    if pk is None or not getattr(user, "is_authenticated", False):
        return None
    job = Job.objects.filter(pk=pk, owner=user).first()
    return with_progress(job) if job else None


def job_by_id(job_id) -> Job | None:
    """Any job, for the command line (the server's operator sees every job)."""
    pk = _uuid(job_id)
    job = Job.objects.filter(pk=pk).first() if pk else None
    return with_progress(job) if job else None


def recent_jobs(limit: int = 20) -> list[Job]:
    return [with_progress(job) for job in Job.objects.select_related("owner")[:limit]]
