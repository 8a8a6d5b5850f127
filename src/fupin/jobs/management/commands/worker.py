"""`fupin worker`: run the job queue's consumer (huey's `run_huey`, with fupin's settings).

`fupin serve` starts one beside gunicorn; run it yourself beside `fupin runserver` (the demo script
does), or on its own when the queue is Redis and the work should run on another machine. Stop it
with Ctrl-C or SIGINT: it lets running jobs finish; SIGTERM stops at once and marks them failed.
All of huey's consumer options work (`--workers 4`, `--worker-type process` …).
"""

import logging

from django.conf import settings
from django.utils.translation import gettext as _
from huey.contrib.djhuey.management.commands.run_huey import Command as RunHuey


class Command(RunHuey):
    help = _("运行任务队列的工作进程(导入、监测等后台任务在这里执行)。")

    def handle(self, *args, **options):
        from huey.contrib.djhuey import HUEY

        # run_huey gives the "huey" logger its own handler; passed on to the root's too, each line
        # would be printed twice.
        logging.getLogger("huey").propagate = False

        where = settings.HUEY.get("filename") or settings.HUEY.get("url", "").split("@")[-1]
        self.stdout.write(
            _("任务队列工作进程启动:%(kind)s %(where)s") % {"kind": type(HUEY).__name__, "where": where}
        )
        self.stdout.flush()
        super().handle(*args, **options)
