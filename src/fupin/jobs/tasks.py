"""The jobs app's own task (the queue check) and the consumer's hook for interrupted jobs."""

import time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey.contrib.djhuey import signal
from huey.signals import SIGNAL_INTERRUPTED

from fupin.jobs.kinds import Kind, register
from fupin.jobs.services import interrupted, job_task, progress

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
