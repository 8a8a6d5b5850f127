"""The exchange's work on the job queue (fupin.jobs): a file in the national layout for an area
(`exchange.export`) and the comparison of a return (`exchange.return`).

`start_export` and `start_return` check the permission and the area before anything is queued; the
tasks run as the user who asked (their scope), report progress, and the export writes its file with
`jobs.services.output_file` (the job's page offers it to its owner, each download audited). A clear
file is audited when it is written, with its purpose (core.lists.audit_export's shape).
"""

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.core.lists import audit_export
from fupin.core.permissions import require
from fupin.exchange import exporting, returns
from fupin.exchange.models import ReturnRun
from fupin.jobs.kinds import Kind, register
from fupin.jobs.services import JobFailed, enqueue, job_task, output_file, progress
from fupin.registry.importing.readers import FileRejected

EXPORT_PERM = "exchange.export_national"
IMPORT_PERM = "exchange.import_return"
REVEAL_PERM = "registry.reveal_household"
WHATS = ("members", "objects", "roster")

EXPORT = register(
    Kind(
        "exchange.export",
        gettext_lazy("国家系统格式导出"),
        parent=("exchange:home", gettext_lazy("国家系统交换")),
        again=gettext_lazy("再导出一个文件"),
        failure=gettext_lazy("生成文件时发生内部错误。请联系系统管理员。"),
    )
)


def _return_links(job) -> list[tuple[str, str]]:
    run = (job.result or {}).get("run")
    if not run:
        return []
    return [(_("查看比对差异"), reverse("exchange:difference_list") + f"?run={run}")]


RETURN = register(
    Kind(
        "exchange.return",
        gettext_lazy("国家系统回传比对"),
        links=_return_links,
        parent=("exchange:upload", gettext_lazy("导入国家系统回传")),
        again=gettext_lazy("再导入一个文件"),
        failure=gettext_lazy("比对回传数据时发生内部错误,未写入任何数据。请联系系统管理员。"),
    )
)


def _user(user_id):
    return get_user_model().objects.get(pk=user_id)


def check_export(user, *, area: str, what: str, clear: bool, purpose: str) -> None:
    require(user, EXPORT_PERM, code=area)
    if what not in WHATS:
        raise PermissionDenied(_("没有这种导出。"))
    if clear:
        require(user, REVEAL_PERM, code=area)
        if not purpose.strip():
            raise PermissionDenied(_("明文导出须说明用途。"))


def start_export(
    *, user, area: str, what: str, fmt: str = "xlsx", clear: bool = False, purpose: str = "", unit: str = ""
):
    """Queue a file of `what` (members, objects, roster) for the division `area` as `user`'s job."""
    check_export(user, area=area, what=what, clear=clear, purpose=purpose)
    if what == "roster":
        fmt = "xlsx"
    label = f"{exporting.area_name(area)} {exporting.title_of(what)}"
    return enqueue(
        EXPORT.name,
        user,
        export_job,
        label=label,
        user_id=user.pk,
        area=area,
        what=what,
        fmt=fmt if fmt in ("xlsx", "csv") else "xlsx",
        clear=clear,
        purpose=purpose,
        unit=unit,
    )


def export_file(
    job_id, *, user, area: str, what: str, fmt: str, clear: bool, purpose: str, unit: str = ""
) -> dict:
    """Write the file of the job; the job's result (count, masked, filters)."""
    check_export(user, area=area, what=what, clear=clear, purpose=purpose)
    name = exporting.area_name(area)
    stamp = timezone.localtime().strftime("%Y%m%d")
    suffix = _("_明文") if clear else ""
    path = output_file(job_id, f"{name}_{exporting.title_of(what)}_{stamp}{suffix}.{fmt}")

    def report(done: int) -> None:
        progress(job_id, done, 0, _("已写入 %(n)d 人") % {"n": done})

    source = exporting.rows(user, what=what, area=area)
    if what == "roster":
        count = exporting.write_roster(
            path, source, area=area, unit=unit or name, clear=clear, progress=report
        )
    elif fmt == "csv":
        count = exporting.write_csv(path, source, what=what, clear=clear, progress=report)
    else:
        count = exporting.write_xlsx(path, source, what=what, clear=clear, progress=report)
    filters = {"division": area, "layout": what, "format": fmt}
    if clear:
        audit_export(
            name=f"exchange.{what}",
            title=exporting.title_of(what),
            filters=filters,
            count=count,
            masked=False,
            purpose=purpose,
            fmt=fmt,
            actor=user,
            region_code=area,
        )
    progress(job_id, count, count, _("已完成"), force=True)
    return {"count": count, "masked": not clear, "filters": filters}


@job_task
def export_job(job_id, *, user_id, area, what, fmt, clear=False, purpose="", unit=""):
    try:
        return export_file(
            job_id,
            user=_user(user_id),
            area=area,
            what=what,
            fmt=fmt,
            clear=clear,
            purpose=purpose,
            unit=unit,
        )
    except PermissionDenied as exc:
        raise JobFailed(str(exc) or _("没有权限。")) from None


# --- returns -------------------------------------------------------------------------------------


def upload_dir(job_id) -> Path:
    return Path(settings.MEDIA_ROOT) / "exchange" / str(job_id)


def save_upload(upload, job_id) -> Path:
    folder = upload_dir(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ("upload" + Path(upload.name).suffix.lower())
    with open(path, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return path


def start_return(*, user, county, upload):
    """Queue the comparison of an uploaded return with the county's records (a Region of level 3)."""
    require(user, IMPORT_PERM, code=county.code)
    job_id = uuid.uuid4()
    path = save_upload(upload, job_id)
    run = ReturnRun.objects.create(
        county=county, owner=user, job_id=job_id, file_name=Path(upload.name).name[:200]
    )
    return enqueue(
        RETURN.name,
        user,
        return_job,
        job_id=job_id,
        label=run.file_name,
        user_id=user.pk,
        run_id=run.pk,
        path=str(path),
        name=upload.name,
    )


@job_task
def return_job(job_id, *, user_id, run_id, path, name=""):
    run = ReturnRun.objects.get(pk=run_id)
    user = _user(user_id)
    try:
        require(user, IMPORT_PERM, code=run.county_id)
        counts = returns.compare_return(
            run, user, path, name, progress=lambda n: progress(job_id, n, 0, _("已比对 %(n)d 行") % {"n": n})
        )
    except (FileRejected, PermissionDenied) as exc:
        ReturnRun.objects.filter(pk=run_id).update(state=ReturnRun.State.FAILED)
        raise JobFailed(getattr(exc, "message", None) or str(exc)) from None
    except Exception:
        ReturnRun.objects.filter(pk=run_id).update(state=ReturnRun.State.FAILED)
        raise
    finally:
        shutil.rmtree(upload_dir(job_id), ignore_errors=True)
    return {"run": run_id, **counts}
