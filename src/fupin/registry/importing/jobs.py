"""Imports started from the web: a job on the queue (fupin.jobs), files under MEDIA_ROOT/imports/.

`start_job` saves the upload in MEDIA_ROOT/imports/<job id>/ and queues `import_households`; the
consumer (`fupin worker`, or the one `fupin serve` starts) runs the import with the starter's scope
and writes the error report beside the upload, which is deleted when the import ends. The job's
page (/jobs/<id>/) shows the progress, then `registry/import_result.html` and the report's link;
only the starter sees the job and its report. Every web process and the consumer see the same job,
whatever process answers the page's polling.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.jobs import selectors as job_selectors
from fupin.jobs.kinds import Kind, register
from fupin.jobs.services import JobFailed, enqueue, job_task, progress
from fupin.registry.importing.importer import run_import
from fupin.registry.importing.readers import FileRejected

REPORT_NAME = "report.xlsx"
# Bytes per row, for a first estimate of the rows in a file (the progress bar's 100 %).
BYTES_PER_ROW = {".xlsx": 120, ".csv": 300}


def job_dir(job_id) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(job_id)


def report_path(job_id) -> Path:
    return job_dir(job_id) / REPORT_NAME


def _links(job) -> list[tuple[str, str]]:
    if job.result.get("report"):
        return [(_("下载错误报告"), reverse("registry:import_report", args=[job.pk]))]
    return []


IMPORT = register(
    Kind(
        "registry.import",
        gettext_lazy("导入贫困户信息"),
        result_template="registry/import_result.html",
        links=_links,
        parent=("registry:import_upload", gettext_lazy("导入")),
        again=gettext_lazy("再导入一个文件"),
        failure=gettext_lazy("导入时发生内部错误,未写入任何数据。请联系系统管理员。"),
    )
)


def get_job(job_id, user):
    """The import job if `user` started it, else None (someone else's job looks like a missing one)."""
    job = job_selectors.job_for(user, job_id)
    return job if job is not None and job.kind == IMPORT.name else None


def start_job(*, user, upload, dry_run: bool, partial: bool = False):
    """Save the upload and queue the import; returns the job (its page is jobs:status)."""
    job_id = uuid.uuid4()
    folder = job_dir(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(upload.name).suffix.lower()
    path = folder / f"upload{suffix}"
    with open(path, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    filename = Path(upload.name).name[:100]
    return enqueue(
        IMPORT.name,
        user,
        import_households,
        job_id=job_id,
        label=_("%(name)s(试导入)") % {"name": filename} if dry_run else filename,
        total=max(1, path.stat().st_size // BYTES_PER_ROW.get(suffix, 300)),
        user_id=user.pk,
        path=str(path),
        filename=filename,
        dry_run=dry_run,
        partial=partial,
    )


@job_task
def import_households(
    job_id: str, *, user_id, path: str, filename: str, dry_run: bool, partial: bool
) -> dict:
    upload = Path(path)
    try:
        user = get_user_model().objects.get(pk=user_id)
        estimate = job_selectors.job_by_id(job_id).total
        rows_done = _("已处理 %(rows)d 行 …")

        def report(rows: int) -> None:
            progress(job_id, rows, max(estimate, rows + 1), rows_done % {"rows": rows})

        try:
            result = run_import(
                upload,
                user=user,
                filename=filename,
                dry_run=dry_run,
                partial=partial,
                report_path=report_path(job_id),
                progress=report,
            )
        except FileRejected as exc:
            raise JobFailed(_("文件被拒绝,未写入任何数据:%(reason)s") % {"reason": exc.message}) from exc
    finally:
        upload.unlink(missing_ok=True)
    progress(job_id, result.rows, result.rows, _("共 %(rows)d 行。") % {"rows": result.rows}, force=True)
    return {
        "filename": filename,
        "dry_run": dry_run,
        "rows": result.rows,
        "summary": str(result.summary()),
        "error_count": result.error_count,
        "errors": [(e.line, str(e.column), str(e.value), str(e.reason)) for e in result.errors[:50]],
        "report": report_path(job_id).exists(),
        "written": result.written,
        "encoding": result.encoding,
    }
