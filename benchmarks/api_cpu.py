"""CPU per API call in one process: fupin's WSGI application against the bare app, the same request.

`fupin bench_api` reads the CPU of whole gunicorn workers, to a tenth of a millisecond; to see where
fupin's share of a call goes, this runs the county officer's `GET /api/registry/households` N times
straight through each WSGI callable (no server, no network) and prints CPU µs per call
(`time.process_time`; the database's time is not in it), optionally with a cProfile breakdown.

    fupin bench_api --county 632524 --in-process 2000      # prepares, then runs both sides
    fupin bench_api --in-process 1000 --profile cumulative  # with fupin's and the bare app's profiles

Two steps, because fupin's side must start with production settings (FUPIN_PRODUCTION=1, the
bench database's keys), which Django reads once per process: `prepare` (inside the bench command's
process) writes the bearer key, the bare app's plan and the servers' environment to a directory as
`bench_api` makes them; `measure` runs in a fresh interpreter with that environment.

    python -m benchmarks.api_cpu measure DIR [fupin|bare|both] [N] [--profile cumulative|tottime]
    (with the environment `prepare` wrote to DIR/env.json; bench_api --in-process does this)
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

PATH = "/api/registry/households"
KEPT_ENV = (
    "FUPIN_PRODUCTION",
    "FUPIN_DEBUG",
    "FUPIN_ALLOWED_HOSTS",
    "FUPIN_STATIC_ROOT",
    "FUPIN_SECRET_KEY",
    "FUPIN_FIELD_KEYS",
    "FUPIN_BLIND_INDEX_KEY",
    "DJANGO_SETTINGS_MODULE",
)


def prepare(county: str, directory: Path) -> None:
    """The key, the bare plan and the environment, as bench_api makes them (Django set up)."""
    from django.conf import settings

    from benchmarks import api as bench

    key = bench.ensure_token(county)
    queries, answer = bench.capture_sql(key, bench.PATH)
    plan = bench.bare_plan(queries, key, bench.DEFAULT_LIMIT, answer)
    env = bench.production_env(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "plan.json").write_text(json.dumps(plan, ensure_ascii=False))
    conf = {
        "key": key,
        "env": {name: env[name] for name in KEPT_ENV if name in env},
        "pg_options": settings.DATABASES["default"].get("OPTIONS", {}).get("options", ""),
    }
    (directory / "env.json").write_text(json.dumps(conf))


def run_measure(directory: Path, n: int, side: str = "both", profile: str | None = None) -> int:
    """`measure` in a fresh interpreter with the prepared environment (its output goes to ours)."""
    conf = json.loads((directory / "env.json").read_text())
    env = {**os.environ, **conf["env"]}
    argv = [sys.executable, "-m", "benchmarks.api_cpu", "measure", str(directory), side, str(n)]
    if profile:
        argv += ["--profile", profile]
    root = Path(__file__).resolve().parent.parent  # where `benchmarks` is a package
    return subprocess.call(argv, env=env, cwd=root)  # noqa: S603 - our own interpreter and module


def _environ(key: str) -> dict:
    """A request as gunicorn hands it over behind the TLS proxy."""
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": PATH,
        "QUERY_STRING": "",
        "RAW_URI": PATH,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "50000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_AUTHORIZATION": f"Bearer {key}",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_ACCEPT": "*/*",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _call(app, key: str) -> tuple[str, bytes]:
    got = {}

    def start_response(status, headers, exc_info=None):
        got["status"] = status

    result = app(_environ(key), start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return got["status"], body


def _application(side: str, directory: Path, conf: dict):
    if side == "fupin":
        from fupin.wsgi import application

        return application
    os.environ["FUPIN_BENCH_PG_OPTIONS"] = conf["pg_options"]
    from benchmarks import api_bare

    plan = json.loads((directory / "plan.json").read_text())
    return api_bare.make_application(plan, api_bare._thread_cursor)


def measure(directory: Path, sides: list[str], n: int, repeat: int, profile: str | None) -> None:
    conf = json.loads((directory / "env.json").read_text())
    key = conf["key"]
    for side in sides:
        app = _application(side, directory, conf)
        for _i in range(200):  # warm: compiled statements, connections, caches
            status, body = _call(app, key)
        if not status.startswith("200"):
            raise SystemExit(f"{side}: {status} {body[:300]!r}")
        cpu = []
        for _r in range(repeat):
            started = time.process_time()
            for _i in range(n):
                _call(app, key)
            cpu.append((time.process_time() - started) / n * 1e6)
        cpu.sort()
        print(f"{side}: CPU µs a call over {repeat} × {n}: min {cpu[0]:.0f}, median {cpu[len(cpu) // 2]:.0f}")
        if profile:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for _i in range(n):
                _call(app, key)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(profile).print_stats(45)
            print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["measure"])
    parser.add_argument("directory", type=Path)
    parser.add_argument("side", choices=["fupin", "bare", "both"], nargs="?", default="both")
    parser.add_argument("n", type=int, nargs="?", default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", choices=["cumulative", "tottime"], default=None)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    sides = ["fupin", "bare"] if args.side == "both" else [args.side]
    measure(args.directory, sides, args.n, args.repeat, args.profile)


if __name__ == "__main__":
    main()
