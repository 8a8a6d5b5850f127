"""The jobs app's own tasks (the queue check, the nightly removal of old generated files) and the
consumer's hook for interrupted jobs."""

import time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey.contrib.djhuey import db_periodic_task, signal
from huey.signals import SIGNAL_INTERRUPTED

from fupin.jobs.kinds import Kind, register
from fupin.jobs.services import first_tonight, interrupted, job_task, local_crontab, progress, purge_files

CHECK = register(Kind("jobs.check", gettext_lazy("任务队列自检")))


@job_task
def check(job_id: str, *, steps: int = 3, pause: float = 0.2) -> dict:
    """A harmless job that counts to `steps`: `fupin jobs --check` proves a consumer is running."""
    for step in range(1, steps + 1):
        time.sleep(pause)
        progress(job_id, step, steps, _("第 %(step)d 步,共 %(steps)d 步") % {"step": step, "steps": steps})
    return {"steps": steps}


@signal(SIGNAL_INTERRUPTED)
def _on_interrupted(signal_name, task, *args, **kwargs):
    interrupted(task)


@db_periodic_task(local_crontab(minute="30", hour="3"))
def nightly_purge_files():
    """Generated files older than FUPIN_JOB_FILE_DAYS are removed at 03:30 (Beijing time)."""
    if first_tonight("jobs-purge-files"):
        purge_files()
