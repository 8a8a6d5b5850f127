"""API throughput against its limit (`fupin bench_api`; a benchmark, not a test).

One question: how many `GET /api/registry/households` a county officer's program gets per second
from fupin as production runs it, against a bare WSGI app that runs exactly the same SQL.

- fupin: `fupin serve` (FUPIN_PRODUCTION=1: deploy checks, persistent connections, gunicorn with
  gthread workers and its access log), authenticated by an API bearer token of a county officer
  (user `bench_county_<code>`, made here with the county's data scope).
- the limit: `benchmarks/api_bare.py` under the same gunicorn options; it executes, in order,
  the statements fupin ran for one such request (captured with Django's query log on this
  database: the token look-up, the capped count and the page), checks the bearer key as fupin
  does (hashed, looked up with fupin's statement, refused when revoked, expired or inactive) and
  answers the same JSON. Both answers must be equal, whole, or the run stops.
- load: `wrk` (Debian package) with N concurrent keep-alive connections, or, when wrk is not
  installed, a small threaded Python client (the output says which). Both servers are warmed up,
  then measured in alternating rounds (who goes first alternates), so that other work on the
  machine falls on both sides alike; the ratio compares the medians.
"""

import http.client
import inspect
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from base64 import b64encode
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fupin.accounts.models import ApiToken, DataScope, User, UserRole
from fupin.accounts.roles import Role
from fupin.accounts.tokens import token_issue
from fupin.core import crypto
from fupin.core.lists import CappedPagination
from fupin.core.management.commands.serve import gunicorn_argv
from fupin.registry.api.common import HouseholdOut
from fupin.registry.choices import Status
from fupin.registry.lists import HOUSEHOLDS

PATH = "/api/registry/households"
DEFAULT_LIMIT = CappedPagination.Input.model_fields["limit"].default
BARE_APP = "benchmarks.api_bare:application"
# Behind the TLS proxy of a real deployment; without it production redirects to https.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


@dataclass
class Round:
    side: str
    rps: float
    latency_ms: float
    requests: int
    errors: int
    app_ms: float = 0.0  # CPU of the side's gunicorn workers per request
    db_ms: float = 0.0  # CPU of its PostgreSQL backends per request


def _cpu_seconds(pids) -> float:
    """utime + stime of these processes (Linux /proc); a process gone meanwhile counts 0."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _autogroup() -> str:
    try:
        return "on" if Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1" else "off"
    except OSError:
        return "?"


def _backends(application_name: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [application_name])
        return [row[0] for row in cursor.fetchall()]


def _with_application_name(url: str, name: str) -> str:
    """Each side's PostgreSQL backends are told apart by application name (for their CPU time)."""
    return f"{url}{'&' if '?' in url else '?'}application_name={name}"


def ensure_token(county: str) -> str:
    """A fresh API token of the county officer `bench_county_<county>` (made on first use)."""
    user, created = User.objects.get_or_create(
        username=f"bench_county_{county}", defaults={"full_name": f"县级干部(基准 {county})"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        UserRole.objects.create(user=user, role=Role.COUNTY_OFFICER)
        DataScope.objects.create(user=user, region_id=county)
    _, key = token_issue(user=user, name="bench_api")
    return key


def bare_plan(queries: list[str], key: str, limit: int, answer: dict) -> dict:
    """What the bare app runs and answers (benchmarks/api_bare.py): fupin's statements in order, the
    token's with its key hash as a parameter, and the shape of fupin's answer."""
    hashed = f"'{ApiToken.hash_key(key)}'"
    token = next(i for i, sql in enumerate(queries) if hashed in sql)
    statements = list(queries)
    if statements[token].count(hashed) != 1:
        raise SystemExit("the token statement holds its key hash more than once")
    statements[token] = statements[token].replace("%", "%%").replace(hashed, "%s")
    count = next(i for i, sql in enumerate(queries) if sql.startswith("SELECT COUNT(*)"))
    page = max(i for i, sql in enumerate(queries) if '"registry_household"' in sql and i != count)
    return {
        "statements": statements,
        "token": token,
        "count": count,
        "page": page,
        "cap": HOUSEHOLDS.count_cap,
        "limit": limit,  # the page statement reads one row more, to know whether a next page exists
        "fields": list(HouseholdOut.model_fields),
        "renames": {"village_id": "village_code", "village__name": "village_name"},
        "labels": {value: str(label) for value, label in Status.choices},
        # fupin's cursor follows (number, id) (registry.selectors.KEYSET); the bare app writes the same.
        "keyset": ["number", "id"] if answer.get("next") else None,
    }


def capture_sql(key: str, path: str) -> tuple[list[str], dict]:
    """The statements fupin runs for one request (after a first one, which may touch the token's
    last-used time), and that request's answer."""
    client = Client(headers={"Authorization": f"Bearer {key}"})
    first = client.get(path, secure=True)
    if first.status_code != 200:
        raise SystemExit(f"{path}: {first.status_code} {first.content[:300]!r}")
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(path, secure=True)
    queries = [q["sql"] for q in captured.captured_queries]
    writes = [q for q in queries if not q.lstrip().upper().startswith("SELECT")]
    if writes:
        raise SystemExit(f"the captured request wrote: {writes}")
    return queries, answer.json()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(argv: list[str], env: dict, log_path: Path, port: int, timeout: float = 300) -> subprocess.Popen:
    """Start a server in a session of its own, as a service runs: with Linux's autogroup scheduling
    (on by default) the CPU is shared between sessions first, so a server in the harness's session
    shared one share with wrk, the harness and whatever else that shell ran, while each PostgreSQL
    backend (the postmaster puts every backend in a session of its own) had a share to itself —
    which held back the side whose work is Python more than the side whose work is SQL."""
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{argv[:4]} exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit(f"{argv[:4]} did not listen within {timeout} s:\n{log_path.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def fetch_json(port: int, key: str, path: str) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers={"Authorization": f"Bearer {key}", **PROXY_HEADERS})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"port {port}: {response.status} {body[:300]!r}")
    return json.loads(body)


def differences(ours, bare, where: str = "") -> list[str]:
    """Where two JSON answers differ: "items[3].latest_per_capita: '4321.00' vs '4321.0'"."""
    if isinstance(ours, dict) and isinstance(bare, dict):
        found = [f"{where}.{k}: only one side has it" for k in ours.keys() ^ bare.keys()]
        for k in ours.keys() & bare.keys():
            found += differences(ours[k], bare[k], f"{where}.{k}")
        return found
    if isinstance(ours, list) and isinstance(bare, list):
        if len(ours) != len(bare):
            return [f"{where}: {len(ours)} vs {len(bare)} entries"]
        return [
            d
            for i, (a, b) in enumerate(zip(ours, bare, strict=True))
            for d in differences(a, b, f"{where}[{i}]")
        ]
    return [] if ours == bare else [f"{where}: {ours!r:.80} vs {bare!r:.80}"]


def fetch_status(port: int, key: str, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers={"Authorization": f"Bearer {key}", **PROXY_HEADERS})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def load_wrk(
    port: int, key: str, path: str, *, connections: int, seconds: int
) -> tuple[float, float, int, int]:
    # A busy machine answers slowly: wrk's default 2 s timeout would count slow answers as errors.
    argv = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "60s"]
    for name, value in {"Authorization": f"Bearer {key}", **PROXY_HEADERS}.items():
        argv += ["-H", f"{name}: {value}"]
    out = subprocess.run(  # noqa: S603
        [*argv, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    latency = re.search(r"Latency\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[latency.group(2)]
    return rps, float(latency.group(1)) * scale, requests, errors


def load_python(
    port: int, key: str, path: str, *, connections: int, seconds: int
) -> tuple[float, float, int, int]:
    """The fallback client: one thread per keep-alive connection, as many requests as it can."""
    headers = {"Authorization": f"Bearer {key}", **PROXY_HEADERS}
    done, errors, latencies, lock = [0], [0], [], threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine, bad, spent = 0, 0, []
        while time.monotonic() < deadline:
            began = time.monotonic()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            spent.append(time.monotonic() - began)
            mine += 1
            bad += response.status != 200
            if response.will_close:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.close()
        with lock:
            done[0] += mine
            errors[0] += bad
            latencies.extend(spent)

    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    return done[0] / elapsed, 1000 * statistics.fmean(latencies or [0]), done[0], errors[0]


def production_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="fupin.settings",
        FUPIN_PRODUCTION="1",
        FUPIN_DEBUG="0",
        FUPIN_ALLOWED_HOSTS="127.0.0.1,localhost",
        # Collected once and kept between runs (collecting costs half a minute).
        FUPIN_STATIC_ROOT=str(settings.DATA_DIR / "bench-static"),
    )
    env.setdefault("FUPIN_SECRET_KEY", secrets.token_urlsafe(50))
    # The keys this database was filled with (bench_fill writes real ciphertexts and blind indexes).
    env.setdefault("FUPIN_FIELD_KEYS", ",".join(b64encode(key).decode() for _id, key in crypto._field_keys()))
    env.setdefault("FUPIN_BLIND_INDEX_KEY", b64encode(crypto._index_key()).decode())
    return env


def run(
    *,
    county: str,
    workers: int,
    threads: int,
    connections: int,
    seconds: int,
    warmup: int,
    rounds: int,
    limit: int | None,
    say=print,
) -> dict:
    if connection.vendor != "postgresql":
        raise SystemExit("bench_api measures PostgreSQL (the bare app uses psycopg).")
    path = PATH if limit is None else f"{PATH}?limit={limit}"
    key = ensure_token(county)
    queries, answer = capture_sql(key, path)
    say(
        f"{path}: count {answer['count']:,}, {len(answer['items'])} items, {len(queries)} statements per request"
    )
    for sql in queries:
        say(f"  {sql[:160]}{' …' if len(sql) > 160 else ''}")
    load = load_wrk if shutil.which("wrk") else load_python
    say(
        f"load: {'wrk' if load is load_wrk else 'Python threaded client (wrk not installed)'}, "
        f"{connections} keep-alive connections; gunicorn: {workers} workers × {threads} threads (gthread); "
        f"autogroup scheduling: {_autogroup()}"
    )

    processes = []
    with tempfile.TemporaryDirectory(prefix="fupin-bench-api-") as tmp_name:
        tmp = Path(tmp_name)
        sql_file = tmp / "plan.json"
        sql_file.write_text(
            json.dumps(bare_plan(queries, key, limit or DEFAULT_LIMIT, answer), ensure_ascii=False),
            encoding="utf-8",
        )
        env = production_env(tmp)
        ports = {"fupin": free_port(), "bare": free_port()}
        try:
            fupin_argv = [sys.executable, "-m", "fupin.cli", "serve", "--bind", f"127.0.0.1:{ports['fupin']}"]
            fupin_argv += ["--workers", str(workers), "--threads", str(threads)]
            # The job queue's consumer (a child of gunicorn's master, when serve starts one) serves
            # no request: left running, its CPU would count as the workers'.
            queue = "queue_consumer" in inspect.signature(gunicorn_argv).parameters
            if queue:
                fupin_argv.append("--no-worker")
            url = env["DATABASE_URL"]
            side_env = {
                "fupin": {**env, "DATABASE_URL": _with_application_name(url, "fupin-bench-fupin")},
                "bare": {
                    **env,
                    "DATABASE_URL": _with_application_name(url, "fupin-bench-bare"),
                    "FUPIN_BENCH_SQL": str(sql_file),
                    "FUPIN_BENCH_PG_OPTIONS": settings.DATABASES["default"]
                    .get("OPTIONS", {})
                    .get("options", ""),
                },
            }
            processes.append(start(fupin_argv, side_env["fupin"], tmp / "fupin.log", ports["fupin"]))
            bare_argv = gunicorn_argv(
                bind=f"127.0.0.1:{ports['bare']}",
                workers=workers,
                threads=threads,
                timeout=60,
                graceful_timeout=30,
                keep_alive=5,
                access_log="-",
                **({"queue_consumer": False} if queue else {}),
            )
            bare_argv[bare_argv.index("fupin.wsgi:application")] = BARE_APP
            bare_argv += ["--pythonpath", str(Path(__file__).resolve().parents[1])]  # the checkout
            processes.append(start(bare_argv, side_env["bare"], tmp / "bare.log", ports["bare"]))

            # Same work on both sides: the same answer, whole, and the same refusal of a wrong key.
            ours, bare = fetch_json(ports["fupin"], key, path), fetch_json(ports["bare"], key, path)
            if ours != bare:
                raise SystemExit(f"answers differ: {differences(ours, bare)[:10]}")
            for side in ("fupin", "bare"):
                refused = fetch_status(ports[side], key[:-1] + ("x" if key[-1] != "x" else "y"), path)
                if refused != 401:
                    raise SystemExit(f"{side} answered a wrong key with {refused}, not 401")

            for side in ("fupin", "bare"):
                load(ports[side], key, path, connections=connections, seconds=warmup)
            masters = dict(zip(("fupin", "bare"), processes, strict=True))
            results: list[Round] = []
            for number in range(rounds):
                order = ("fupin", "bare") if number % 2 == 0 else ("bare", "fupin")
                for side in order:
                    workers_pids = _children(masters[side].pid)
                    backends = _backends(f"fupin-bench-{side}")
                    app_before, db_before = _cpu_seconds(workers_pids), _cpu_seconds(backends)
                    rps, latency, requests, errors = load(
                        ports[side], key, path, connections=connections, seconds=seconds
                    )
                    backends = set(backends) | set(_backends(f"fupin-bench-{side}"))
                    app_ms = 1000 * (_cpu_seconds(workers_pids) - app_before) / max(requests, 1)
                    db_ms = 1000 * (_cpu_seconds(backends) - db_before) / max(requests, 1)
                    results.append(Round(side, rps, latency, requests, errors, app_ms, db_ms))
                    say(
                        f"round {number + 1} {side:<5} {rps:8.1f} req/s  mean latency {latency:7.1f} ms  "
                        f"{requests:,} requests, {errors} errors; CPU per request: app {app_ms:.1f} ms, "
                        f"PostgreSQL {db_ms:.1f} ms"
                    )
        finally:
            for process in processes:
                stop(process)
    if any(r.errors for r in results):
        raise SystemExit("some requests failed: the figures are not comparable")
    ours = statistics.median(r.rps for r in results if r.side == "fupin")
    bare = statistics.median(r.rps for r in results if r.side == "bare")
    # CPU per request (app + database) does not depend on how much of the machine others take:
    # on a machine of our own, where the CPU is what runs out, throughputs stand in its inverse ratio.
    cpu = {
        side: statistics.median(r.app_ms + r.db_ms for r in results if r.side == side)
        for side in ("fupin", "bare")
    }
    return {
        "fupin": ours,
        "bare": bare,
        "ratio": ours / bare,
        "cpu_fupin": cpu["fupin"],
        "cpu_bare": cpu["bare"],
        "cpu_ratio": cpu["bare"] / cpu["fupin"],
        "rounds": results,
        "count": answer["count"],
    }
