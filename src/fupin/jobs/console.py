"""Jobs on the command line: `follow(job_id, stdout)` prints a job's progress until it ends.

A long command enqueues its work and follows it, so the work runs in the consumer (`fupin worker`,
or the one `fupin serve` starts) exactly as when started from the web:

    job = enqueue("monitoring.run", None, run_rules, county=county)
    job = follow(job.pk, self.stdout)
    if job.state == job.State.FAILED:
        raise CommandError(job.error)
"""

import time

from django.core.management.base import OutputWrapper
from django.utils.translation import gettext as _

from fupin.jobs import selectors
from fupin.jobs.kinds import kind_of

BAR = 20
# After this long still queued, say that no consumer seems to be running.
QUEUED_HINT_AFTER = 10.0


def bar(job) -> str:
    if job.percent is None:
        return "[" + "·" * BAR + "]    "
    filled = job.percent * BAR // 100
    return f"[{'#' * filled}{'.' * (BAR - filled)}] {job.percent:3d}%"


def line(job) -> str:
    """One line for a job: its bar, state and latest message (or its error)."""
    text = job.error if job.state == job.State.FAILED else job.message
    counts = f" {job.done}/{job.total}" if job.total and job.state == job.State.RUNNING else ""
    return f"{bar(job)} {job.get_state_display()}{counts} {text}".rstrip()


def describe(job) -> str:
    """The job's heading: kind, label, id."""
    label = f" · {job.label}" if job.label else ""
    return f"{kind_of(job.kind).title}{label} ({job.pk})"


def follow(
    job_id, stdout, *, interval: float = 1.0, timeout: float | None = None, hint_after=QUEUED_HINT_AFTER
):
    """Print the job's progress until it ends (or `timeout` seconds pass); returns the job as last
    read, None if there is no such job. A terminal gets one line redrawn in place; a file or a pipe
    gets a line per change."""
    job = selectors.job_by_id(job_id)
    if job is None:
        return None
    if not isinstance(stdout, OutputWrapper):
        stdout = OutputWrapper(stdout)
    tty = getattr(stdout, "isatty", lambda: False)()
    stdout.write(describe(job))
    started = time.monotonic()
    last = None
    hinted = False
    while True:
        text = line(job)
        if text != last:
            if tty:
                stdout.write(f"\r\033[K{text}", ending="")
                stdout.flush()
            else:
                stdout.write(text)
            last = text
        if job.finished:
            break
        waited = time.monotonic() - started
        if job.state == job.State.QUEUED and not hinted and hint_after is not None and waited >= hint_after:
            hinted = True
            stdout.write(
                ("\n" if tty else "")
                + _("任务仍在排队:请确认任务队列的工作进程在运行(fupin worker,或 fupin serve)。")
            )
            last = None
        if timeout is not None and waited >= timeout:
            break
        time.sleep(interval)
        job = selectors.job_by_id(job_id) or job
    if tty:
        stdout.write("")
    return job
