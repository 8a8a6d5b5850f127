"""`fupin serve`: run fupin in production.

1. collects the static files when the manifest is missing or misses a file (after an upgrade);
2. refuses to start with unapplied migrations or any error of `fupin check --deploy` (keys, the
   production stance, superusers, static files);
3. replaces itself with gunicorn: several worker processes, threads in each (a slow phone on a
   village network holds a thread, not a whole worker, and keep-alive connections are served),
   graceful restarts and an access log without query strings (a search for an ID number or a
   name must not land in a log file);
4. gunicorn's master also runs the job queue's consumer (`fupin worker`, see fupin.jobs.gunicorn):
   imports and other long work need it, and one command should run the whole of fupin. With
   `--no-worker` it does not, for a consumer run elsewhere (a Redis queue, another machine).

Settings come from the environment as everywhere else (README, "Production"); the options here
override FUPIN_BIND, FUPIN_WORKERS and FUPIN_THREADS.
"""

import os
import shlex
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from fupin.core.checks import static_files_problem
from fupin.env import env_int, env_str

# gunicorn makes its heartbeat files there with mkstemp (private, random names): a shared directory is fine.
HEARTBEAT_DIR = "/dev/shm"  # noqa: S108
# Method and path, never the query string (searches carry names and ID numbers); no referer for the
# same reason. %(M)s is the time taken in milliseconds.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'


def default_workers() -> int:
    """gunicorn's rule of thumb, 2 × cores + 1, over the cores this process may run on."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return 2 * cores + 1


def gunicorn_argv(
    *,
    bind: str,
    workers: int,
    threads: int,
    timeout: int,
    graceful_timeout: int,
    keep_alive: int,
    access_log: str,
    queue_consumer: bool = True,
) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "fupin.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        str(graceful_timeout),
        "--keep-alive",
        str(keep_alive),
        "--access-logfile",
        access_log,
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        "--error-logfile",
        "-",
        "--name",
        "fupin",
        # Its default control socket is one path per user ($HOME/.gunicorn): a second server on the
        # machine would take over the first one's; restarts go through signals (HUP, TERM) instead.
        "--no-control-socket",
    ]
    if queue_consumer:
        argv += ["--config", "python:fupin.jobs.gunicorn"]  # its hooks start and stop `fupin worker`
    if os.path.isdir(HEARTBEAT_DIR):
        # The workers' heartbeat files: on a disk-backed /tmp a slow disk can make the master
        # think a busy worker hangs and kill it.
        argv += ["--worker-tmp-dir", HEARTBEAT_DIR]
    return argv


class Command(BaseCommand):
    help = _("生产环境运行:部署检查,按需收集静态文件,然后以多个工作进程启动 gunicorn。")
    # The deploy checks run in handle(), after the static files are collected.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=env_str("FUPIN_BIND", "127.0.0.1:8000"),
            help=_("监听地址 host:port(默认 FUPIN_BIND 或 127.0.0.1:8000)"),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=env_int("FUPIN_WORKERS", default_workers(), minimum=1),
            help=_("工作进程数(默认 FUPIN_WORKERS 或 CPU 核数 × 2 + 1)"),
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=env_int("FUPIN_THREADS", 4, minimum=1),
            help=_("每个工作进程的线程数(默认 FUPIN_THREADS 或 4)"),
        )
        parser.add_argument("--timeout", type=int, default=60, help=_("请求超时秒数,超时的工作进程被重启"))
        parser.add_argument(
            "--graceful-timeout", type=int, default=30, help=_("停止或重启时等待进行中请求完成的秒数")
        )
        parser.add_argument("--keep-alive", type=int, default=5, help=_("保持连接的空闲秒数"))
        parser.add_argument("--access-log", default="-", help=_("访问日志文件(默认 - 即标准输出)"))
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help=_("不启动任务队列的工作进程(另行运行 fupin worker 时使用)"),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("只做检查和收集静态文件,打印 gunicorn 命令而不启动")
        )

    def handle(self, *args, **options):
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError(_("工作进程数和线程数至少为 1。"))
        if static_files_problem() is not None:
            self.stdout.write(_("正在收集静态文件 …"))
            call_command("collectstatic", interactive=False, verbosity=0)
        self._refuse_unapplied_migrations()
        # Errors stop the start; warnings are printed and the server starts.
        call_command("check", deploy=True, fail_level="ERROR", stdout=self.stdout, stderr=self.stderr)

        argv = gunicorn_argv(
            bind=options["bind"],
            workers=options["workers"],
            threads=options["threads"],
            timeout=options["timeout"],
            graceful_timeout=options["graceful_timeout"],
            keep_alive=options["keep_alive"],
            access_log=options["access_log"],
            queue_consumer=not options["no_worker"] and not settings.HUEY.get("immediate"),
        )
        self.stdout.write(
            _("启动 gunicorn:%(bind)s,%(workers)d 个工作进程 × %(threads)d 个线程")
            % {"bind": options["bind"], "workers": options["workers"], "threads": options["threads"]}
        )
        if "python:fupin.jobs.gunicorn" in argv:
            self.stdout.write(_("并启动任务队列的工作进程(fupin worker)"))
        if options["dry_run"]:
            self.stdout.write(shlex.join(argv))
            return
        # The checks opened a connection; the workers open their own after the fork.
        connections.close_all()
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(argv[0], argv)  # noqa: S606  (this interpreter, a fixed argument list, no shell)

    def _refuse_unapplied_migrations(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            raise CommandError(
                _("数据库还有 %(count)d 个迁移未执行(%(db)s):请先运行 fupin migrate。")
                % {"count": len(plan), "db": settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"]}
            )
