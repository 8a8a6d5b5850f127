"""gunicorn hooks for `fupin serve`: the job queue's consumer runs beside the web workers.

`fupin serve` passes `--config python:fupin.jobs.gunicorn`; gunicorn's master process then starts
`fupin worker` once it is ready, restarts it on a reload (HUP, after an upgrade) and stops it when
the server stops, so one command runs the whole of fupin on a county's server. The consumer gets a
graceful stop (SIGINT: running jobs finish) for GRACE seconds, then SIGTERM (the jobs are marked
failed: "服务停止,任务被中断").
"""

import signal
import subprocess
import sys

GRACE = 30  # seconds a running job has to finish when the server stops
_consumer: subprocess.Popen | None = None


def consumer_argv() -> list[str]:
    return [sys.executable, "-m", "fupin.cli", "worker"]


def _start(server) -> None:
    global _consumer
    _consumer = subprocess.Popen(consumer_argv())  # noqa: S603  (this interpreter, fixed arguments)
    server.log.info("job queue consumer started (pid %s)", _consumer.pid)


def _stop(server) -> None:
    global _consumer
    if _consumer is None or _consumer.poll() is not None:
        _consumer = None
        return
    for sig, wait in ((signal.SIGINT, GRACE), (signal.SIGTERM, 10)):
        _consumer.send_signal(sig)
        try:
            _consumer.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    else:
        _consumer.kill()
        _consumer.wait()
    server.log.info("job queue consumer stopped")
    _consumer = None


def when_ready(server):
    _start(server)


def on_reload(server):
    _stop(server)
    _start(server)


def on_exit(server):
    _stop(server)
