"""A department list uploaded on the web runs as a job on the queue (fupin.jobs).

`start` saves the upload in MEDIA_ROOT/screening/<job id>/ and queues `screen_list`, which runs
`screening.import_list` with the uploader's permissions and scope, reports its progress, and deletes
the upload when it ends. The job's page (/jobs/<id>/) shows the progress, then
`monitoring/screening_job.html` with the batch's counts and a link to the batch.
"""

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.jobs.kinds import Kind, register
from fupin.jobs.services import JobFailed, enqueue, job_task, progress
from fupin.monitoring import screening

BYTES_PER_ROW = {".xlsx": 30, ".csv": 60}  # a first estimate of the rows, for the progress bar


def upload_dir(job_id) -> Path:
    return Path(settings.MEDIA_ROOT) / "screening" / str(job_id)


def save_upload(upload, job_id) -> Path:
    """The upload written to the job's folder; the job deletes it when it ends."""
    folder = upload_dir(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ("upload" + Path(upload.name).suffix.lower())
    with open(path, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return path


def discard(job_id) -> None:
    shutil.rmtree(upload_dir(job_id), ignore_errors=True)


def _links(job) -> list[tuple[str, str]]:
    batch = (job.result or {}).get("batch")
    if not batch:
        return []
    return [
        (_("查看导入结果"), reverse("monitoring:screening_batch", args=[batch])),
        (_("风险线索"), reverse("monitoring:lead_list") + "?channel=department"),
    ]


SCREENING = register(
    Kind(
        "monitoring.screening",
        gettext_lazy("导入部门筛查数据"),
        result_template="monitoring/screening_job.html",
        links=_links,
        parent=("monitoring:screening_upload", gettext_lazy("上传部门数据")),
        again=gettext_lazy("再上传一个文件"),
        failure=gettext_lazy("导入部门数据时发生内部错误,未写入任何数据。请联系系统管理员。"),
    )
)


def start(*, user, job_id, path: Path, filename: str, source: str, county: str, period: str, mapping=None):
    """Queue the import of an upload saved by `save_upload` under `job_id`; returns the job."""
    suffix = Path(filename).suffix.lower()
    return enqueue(
        SCREENING.name,
        user,
        screen_list,
        job_id=job_id,
        label=filename[:200],
        total=max(1, path.stat().st_size // BYTES_PER_ROW.get(suffix, 60)),
        user_id=user.pk,
        path=str(path),
        filename=filename,
        source=source,
        county=county,
        period=period,
        mapping=mapping,
    )


def new_job_id() -> uuid.UUID:
    return uuid.uuid4()


@job_task
def screen_list(
    job_id: str, *, user_id, path: str, filename: str, source: str, county: str, period: str, mapping=None
) -> dict:
    try:
        user = get_user_model().objects.get(pk=user_id)
        try:
            batch = screening.import_list(
                by=user,
                source=source,
                county=county,
                period=period,
                upload=Path(path),
                file_name=filename,
                mapping=mapping,
                progress=lambda done, total, message: progress(job_id, done, total, message),
                job_id=job_id,
            )
        except screening.MappingNeeded as exc:
            raise JobFailed(exc.message) from exc
        except ValidationError as exc:
            raise JobFailed(
                _("文件被拒绝,未写入任何数据:%(reason)s") % {"reason": ";".join(exc.messages)}
            ) from exc
        except PermissionDenied as exc:
            raise JobFailed(_("没有权限导入该县的部门数据。")) from exc
    finally:
        discard(job_id)
    return {
        "batch": batch.pk,
        "filename": filename,
        "source": batch.get_source_display(),
        "period": batch.period,
        "rows": batch.rows,
        "matched": batch.matched,
        "unmatched": batch.unmatched,
        "hits": batch.hits,
    }
