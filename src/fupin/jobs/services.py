"""Writes of the jobs app: start a job, and what its task reports (progress, the end, a failure).

An app's task is a plain function wrapped by `job_task`:

    @job_task
    def count_households(job_id, *, county):
        for done, village in enumerate(villages, 1):
            ...
            progress(job_id, done, len(villages), _("正在统计 %(v)s") % {"v": village})
        return {"households": n}          # the job's result (JSON)

and is started by `enqueue("monitoring.count", request.user, count_households, county="632524")`,
which writes the Job row and puts the task on the queue once the row is committed. A task raises
`JobFailed(_("…"))` to fail with a message for its owner; any other exception is logged with its
traceback and the owner reads only the kind's Chinese `failure` message.
"""

import datetime
import logging
import shutil
import threading
import time
import uuid
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab

from fupin.jobs.kinds import kind_of
from fupin.jobs.models import Job

log = logging.getLogger(__name__)

# Live progress is written at most this often (seconds): a task may report every row.
LIVE_EVERY = 0.5
_last_write: dict[str, float] = {}
# The latest progress of each job running in this process, written or not: the end takes it.
_latest: dict[str, dict] = {}
_last_lock = threading.Lock()
# The queue's task classes that run jobs (their first argument is the job id).
JOB_TASKS: set[type] = set()


class JobFailed(Exception):
    """Raised by a job's task: the job fails with `message` (Chinese, shown to its owner)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


def queue():
    """The huey instance (djhuey builds it from settings.HUEY)."""
    from huey.contrib.djhuey import HUEY

    return HUEY


def live_key(job_id) -> str:
    return f"fupin-job:{job_id}"


def enqueue(kind: str, owner, task, *, job_id=None, label: str = "", total: int = 0, **params) -> Job:
    """Write the Job row and queue `task(job_id, **params)`; returns the job.

    owner: the user who sees the job on the web (None: a command-line job). job_id: when the caller
    must know the id first (the import saves its upload in a folder named after it). The task is
    queued once the row is committed, so a consumer never looks for a row that is not there yet; in
    immediate mode (tests, FUPIN_QUEUE=immediate) it has run when this returns."""
    job = Job.objects.create(
        id=job_id or uuid.uuid4(), kind=kind, owner=owner, label=label[:200], total=total
    )
    job_key = str(job.pk)

    def send():
        try:
            task(job_key, **params)
        except Exception:
            # The queue is down (Redis unreachable, the SQLite file unwritable): say so on the page.
            log.exception("could not queue job %s (%s)", job_key, kind)
            fail(job_key, _("任务队列不可用,任务未能开始。请联系系统管理员。"))

    if queue().immediate:
        send()
        job.refresh_from_db()
    else:
        transaction.on_commit(send)
    return job


def start(job_id) -> bool:
    """Mark the job running; False when it is not waiting in the queue (gone, or already taken)."""
    started = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now()
    )
    if not started:
        log.warning("job %s is not queued any more; its task is skipped", job_id)
    return bool(started)


def progress(job_id, done: int, total: int | None = None, message: str = "", *, force: bool = False) -> None:
    """Report how far the job is: `done` of `total` (None: as before; 0: not known), and a short
    message in Chinese. Cheap to call often: written at most every LIVE_EVERY seconds."""
    key = str(job_id)
    live = {"done": max(0, int(done)), "message": str(message)[:200]}
    if total is not None:
        live["total"] = max(0, int(total))
    now = time.monotonic()
    with _last_lock:
        _latest[key] = {**_latest.get(key, {}), **live}
        if not force and now - _last_write.get(key, 0.0) < LIVE_EVERY:
            return
        _last_write[key] = now
    try:
        queue().put(live_key(key), live)
    except Exception:
        log.warning("could not record the progress of job %s", key, exc_info=True)


def _live(job_id) -> dict:
    try:
        return queue().get(live_key(job_id), peek=True) or {}
    except Exception:
        log.warning("could not read the progress of job %s", job_id, exc_info=True)
        return {}


def _end(job_id, **fields) -> None:
    key = str(job_id)
    with _last_lock:
        live = _latest.pop(key, None)
        _last_write.pop(key, None)
    if live is None:  # not run in this process (the consumer was stopped)
        live = _live(key)
    job = Job.objects.filter(pk=key).only("done", "total", "message").first()
    if job is None:
        return
    fields.setdefault("done", live.get("done", job.done))
    fields.setdefault("total", live.get("total", job.total))
    fields.setdefault("message", live.get("message", job.message))
    Job.objects.filter(pk=key).update(finished_at=timezone.now(), **fields)
    try:
        queue().delete(live_key(key))
    except Exception:
        log.warning("could not clear the progress of job %s", key, exc_info=True)


def finish(job_id, result: dict | None = None, *, message: str | None = None) -> None:
    """The job is done: `result` (JSON) is what its page and API show."""
    fields = {"state": Job.State.DONE, "result": result or {}}
    if message is not None:
        fields["message"] = str(message)[:200]
    _end(job_id, **fields)


def fail(job_id, error: str) -> None:
    """The job failed: `error` (Chinese) is shown to its owner. Never pass a traceback here."""
    _end(job_id, state=Job.State.FAILED, error=str(error)[:500])


def job_task(fn=None, **options):
    """Make `fn(job_id, **params) -> result dict` a queue task that runs a job: it marks the job
    running, then done with fn's result, or failed (see the module's docstring). `options` go to
    huey's task decorator (e.g. retries — rarely right for a job that writes)."""

    def decorate(fn):
        from huey.contrib.djhuey import db_task

        @wraps(fn)
        def run(job_id, **params):
            if not start(job_id):
                return
            try:
                result = fn(job_id, **params)
            except JobFailed as exc:
                fail(job_id, exc.message)
            except Exception:
                log.exception("job %s (%s) failed", job_id, fn.__qualname__)
                kind = Job.objects.filter(pk=job_id).values_list("kind", flat=True).first() or ""
                fail(job_id, kind_of(kind).failure)
            else:
                finish(job_id, result)

        task = db_task(**options)(run)
        JOB_TASKS.add(task.task_class)
        return task

    return decorate(fn) if fn is not None else decorate


def interrupted(task) -> None:
    """The consumer stopped in the middle of a job's task (SIGTERM): the job will not finish."""
    if type(task) in JOB_TASKS and task.args:
        fail(task.args[0], _("服务停止,任务被中断,未完成。请重新开始。"))


# --- the files jobs generate -------------------------------------------------------------------


def files_dir(job_id) -> Path:
    """The folder of one job's files: MEDIA_ROOT/jobs/<id>/ (not served; see jobs.views.download)."""
    return Path(settings.MEDIA_ROOT) / "jobs" / str(uuid.UUID(str(job_id)))


def output_file(job_id, filename: str) -> Path:
    """Where the running job writes the file it generates; the job's page then offers it for download
    (its owner only, audited) for FUPIN_JOB_FILE_DAYS days. The name is the one the user will see
    (Chinese is fine); a path in it is dropped. One file per job: a second call replaces the first."""
    name = Path(str(filename)).name.strip() or "file"
    folder = files_dir(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    Job.objects.filter(pk=str(job_id)).update(file=name[:200])
    return folder / name[:200]


def job_file(job: Job) -> Path | None:
    """The job's generated file when it is still there."""
    if not job.file or job.state != Job.State.DONE:
        return None
    path = files_dir(job.pk) / job.file
    return path if path.is_file() else None


def purge_files(now: datetime.datetime | None = None) -> int:
    """Remove the files of jobs that finished more than FUPIN_JOB_FILE_DAYS days ago (and of failed
    jobs: a half-written file is never offered); the rows stay, with `file` cleared. Returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.FUPIN_JOB_FILE_DAYS)
    stale = Job.objects.exclude(file="").filter(finished_at__lt=cutoff) | Job.objects.exclude(file="").filter(
        state=Job.State.FAILED
    )
    removed = 0
    for pk in stale.values_list("pk", flat=True):
        shutil.rmtree(files_dir(pk), ignore_errors=True)
        removed += Job.objects.filter(pk=pk).update(file="")
    return removed


# --- nightly work on the queue -----------------------------------------------------------------


def local_crontab(**fields):
    """huey's crontab read in the server's time zone (settings.TIME_ZONE). huey matches periodic
    tasks against UTC (its `utc` default), and 00:10 UTC is 08:10 in Beijing: the middle of the
    morning's work. Used by every app's nightly tasks (monitoring, supervision, reports)."""
    matches = crontab(**fields)

    def validate(timestamp: datetime.datetime) -> bool:
        if queue().utc:  # a naive UTC time
            timestamp = timezone.localtime(timestamp.replace(tzinfo=datetime.UTC)).replace(tzinfo=None)
        return matches(timestamp)

    validate.fields = fields  # what it was made of (the tests read it)
    return validate


def first_tonight(name: str, today: datetime.date | None = None) -> bool:
    """True for the first consumer to start tonight's `name`; the others skip it (several
    consumers, one per server, all run the periodic tasks). Yesterday's mark is dropped, so the
    storage keeps one mark per task."""
    day = today or timezone.localdate()
    key = f"fupin-nightly:{name}:{day.isoformat()}"
    if not queue().put_if_empty(key, True):
        log.info("nightly %s of %s already started by another consumer; skipped", name, day)
        return False
    queue().delete(f"fupin-nightly:{name}:{(day - datetime.timedelta(days=1)).isoformat()}")
    return True
