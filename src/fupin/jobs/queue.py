"""The queue's configuration from `FUPIN_QUEUE` (read by settings.py into Django's HUEY setting).

- empty (the default): a SQLite file, DATA_DIR/queue.sqlite3 — the web processes and the consumer
  on one server, no other service;
- `sqlite:///path/to/queue.sqlite3`: a SQLite file elsewhere;
- `redis://host:6379/0` (or rediss://, unix://): Redis, for production with several servers;
- `immediate`: no queue, each job runs inside the request that starts it (debugging; the tests
  switch to it themselves, see the root conftest).
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

NAME = "fupin"


def huey_settings(value: str, data_dir: Path, *, workers: int) -> dict:
    """djhuey's HUEY dict for `value`; `workers` threads in the consumer."""
    value = value.strip()
    config = {
        "name": NAME,
        # Results live on the Job row, never in the queue's storage (it would only grow).
        "results": False,
        # Spelled out: djhuey would otherwise run jobs inside the request whenever DEBUG is on.
        "immediate": value == "immediate",
        "consumer": {"workers": workers, "worker_type": "thread"},
    }
    if value.startswith(("redis://", "rediss://", "unix://")):
        config.update(huey_class="huey.RedisHuey", url=value)
    elif value in ("", "immediate") or value.startswith("sqlite:///"):
        # As in DATABASE_URL: sqlite:////abs/path (four slashes) or sqlite:///relative/path.
        given = value.removeprefix("sqlite:///") if value.startswith("sqlite:///") else ""
        path = Path(given) if given else data_dir / "queue.sqlite3"
        if not config["immediate"]:
            path.parent.mkdir(parents=True, exist_ok=True)  # huey opens the file at start-up
        config.update(huey_class="huey.SqliteHuey", filename=str(path))
    else:
        raise ImproperlyConfigured(
            f"FUPIN_QUEUE={value!r}: use redis://…, sqlite:///path, immediate, or leave it empty."
        )
    return config
