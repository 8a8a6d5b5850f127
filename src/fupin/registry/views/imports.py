"""Import pages: upload (with a dry-run choice), report, template; the progress is the job's page.

The exports are in registry.views.export. Import needs `registry.add_household` (the list shows
导入 and 下载模板 only to those who hold it). An upload becomes a job on the queue
(registry.importing.jobs) and the browser goes to its page (jobs:status), which the job app polls
and which ends with the import's result; the job and its report are seen only by the user who
started it (someone else's job id answers 404, as a missing one would). The import itself runs
with the starter's scope, so another county's villages are refused row by row.
"""

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fupin.core.exports import XLSX_TYPE, _attachment
from fupin.core.permissions import require
from fupin.registry.importing import jobs
from fupin.registry.importing.readers import max_bytes
from fupin.registry.importing.template import build_template

IMPORT_PERM = "registry.add_household"


@login_required
def import_upload(request):
    require(request, IMPORT_PERM)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("请选择要导入的文件。")
        elif Path(upload.name).suffix.lower() not in (".xlsx", ".csv"):
            error = _("只能导入 .xlsx 或 .csv 文件。")
        elif upload.size > max_bytes():
            error = _("文件超过 %(n)d MB 的上限,请拆分后分批导入。") % {"n": max_bytes() // 1024 // 1024}
        else:
            job = jobs.start_job(
                user=request.user, upload=upload, dry_run=bool(request.POST.get("dry_run")), partial=False
            )
            return redirect("jobs:status", job_id=job.pk)
    return render(
        request,
        "registry/import_upload.html",
        {
            "error": error,
            "max_mb": max_bytes() // 1024 // 1024,
            "dry_run": request.method != "POST" or bool(request.POST.get("dry_run")),
        },
    )


@login_required
@require_GET
def import_report(request, job_id: str):
    require(request, IMPORT_PERM)
    job = jobs.get_job(job_id, request.user)
    if job is None or not job.result.get("report") or not jobs.report_path(job.pk).exists():
        raise Http404
    path = jobs.report_path(job.pk)
    response = FileResponse(open(path, "rb"), content_type=XLSX_TYPE)  # noqa: SIM115 - FileResponse closes it
    response["Content-Disposition"] = _attachment(_("导入错误报告.xlsx"))
    return response


@login_required
@require_GET
def import_template(request):
    require(request, IMPORT_PERM)
    response = HttpResponse(build_template(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = _attachment(_("贫困户家庭成员导入模板.xlsx"))
    return response
