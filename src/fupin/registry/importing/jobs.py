"""Imports started from the web: a background thread, progress in the cache, files under MEDIA_ROOT/imports/.

The job's state is a small dict in Django's cache under `registry-import:<job id>`. The default
LocMem cache works for one process (the demo, tests); production with several workers needs a
shared cache (Redis), or the status page of one worker cannot see another's job. The upload and
the error report live in MEDIA_ROOT/imports/<job id>/; the upload is deleted when the job ends.
`FUPIN_IMPORT_SYNC = True` runs the job in the request (tests).
"""

import logging
import shutil
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.translation import gettext as _

from fupin.registry.importing.importer import run_import
from fupin.registry.importing.readers import FileRejected

log = logging.getLogger(__name__)
TIMEOUT = 24 * 3600
REPORT_NAME = "report.xlsx"


def job_dir(job_id: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / job_id


def _key(job_id: str) -> str:
    return f"registry-import:{job_id}"


def get_job(job_id: str, user) -> dict | None:
    """The job's state if `user` started it, else None (someone else's job looks like a missing one)."""
    try:
        uuid.UUID(hex=job_id)
    except ValueError:
        return None
    state = cache.get(_key(job_id))
    if not state or state.get("owner") != user.pk:
        return None
    return state


def report_path(job_id: str) -> Path:
    return job_dir(job_id) / REPORT_NAME


def start_job(*, user, upload, dry_run: bool, partial: bool = False) -> str:
    """Save the upload and start the import; returns the job id."""
    job_id = uuid.uuid4().hex
    folder = job_dir(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(upload.name).suffix.lower()
    path = folder / f"upload{suffix}"
    with open(path, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    state = {
        "owner": user.pk,
        "filename": Path(upload.name).name[:100],
        "state": "running",
        "dry_run": dry_run,
        "rows": 0,
        "estimate": max(1, path.stat().st_size // (120 if suffix == ".xlsx" else 300)),
        "summary": "",
        "message": "",
        "error_count": 0,
        "errors": [],
        "report": False,
        "written": False,
    }
    cache.set(_key(job_id), state, TIMEOUT)
    args = (job_id, user, path, dry_run, partial)
    if getattr(settings, "FUPIN_IMPORT_SYNC", False):
        _run(*args)
    else:
        threading.Thread(target=_run, args=args, daemon=True, name=f"import-{job_id[:8]}").start()
    return job_id


def _update(job_id: str, **changes) -> None:
    state = cache.get(_key(job_id)) or {}
    state.update(changes)
    cache.set(_key(job_id), state, TIMEOUT)


def _run(job_id: str, user, path: Path, dry_run: bool, partial: bool) -> None:
    try:
        result = run_import(
            path,
            user=user,
            filename=cache.get(_key(job_id), {}).get("filename", ""),
            dry_run=dry_run,
            partial=partial,
            report_path=report_path(job_id),
            progress=lambda rows: _update(job_id, rows=rows),
        )
    except FileRejected as exc:
        _update(job_id, state="rejected", message=exc.message)
    except Exception:
        log.exception("import job %s failed", job_id)
        _update(job_id, state="failed", message=_("导入时发生内部错误,未写入任何数据。请联系系统管理员。"))
    else:
        _update(
            job_id,
            state="done",
            rows=result.rows,
            summary=result.summary(),
            error_count=result.error_count,
            errors=[(e.line, e.column, e.value, e.reason) for e in result.errors[:50]],
            report=report_path(job_id).exists(),
            written=result.written,
            encoding=result.encoding,
        )
    finally:
        path.unlink(missing_ok=True)
        if not getattr(settings, "FUPIN_IMPORT_SYNC", False):
            connection.close()  # the thread's own connection


def remove_job(job_id: str) -> None:
    shutil.rmtree(job_dir(job_id), ignore_errors=True)
    cache.delete(_key(job_id))
