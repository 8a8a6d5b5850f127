"""The exchange's pages: a file in the national layout (and the 监测对象名单) for an area, a return to
compare, the returns read and their differences (core.lists). Files and comparisons run as jobs:
the browser goes to the job's page (/jobs/<id>/), which offers the file to its owner."""

from django.contrib.auth.decorators import login_required
from django.urls import path, reverse
from django.utils.translation import gettext as _

from fupin.core import lists as core_lists
from fupin.core.forms import form_page
from fupin.core.permissions import require
from fupin.exchange import forms, lists, tasks


def _job_page(job):
    return reverse("jobs:status", args=[job.pk])


@login_required
def home(request):
    require(request, tasks.EXPORT_PERM)
    form = forms.ExportForm(request.POST or None, user=request.user)

    def write(f):
        data = f.cleaned_data
        return tasks.start_export(
            user=request.user,
            area=data["division"].code,
            what=data["what"],
            fmt=data["format"],
            clear=data["clear"],
            purpose=data["purpose"],
            unit=data["unit"],
        )

    return form_page(
        request,
        form,
        write=write,
        success=_job_page,
        title=_("国家系统交换"),
        done=_("已开始生成文件。"),
        template="exchange/home.html",
        may_import=request.user.has_perm(tasks.IMPORT_PERM),
    )


@login_required
def upload(request):
    require(request, tasks.IMPORT_PERM)
    form = forms.ReturnForm(request.POST or None, request.FILES or None, user=request.user)

    def write(f):
        return tasks.start_return(
            user=request.user, county=f.cleaned_data["county"], upload=f.cleaned_data["file"]
        )

    return form_page(
        request,
        form,
        write=write,
        success=_job_page,
        title=_("导入国家系统回传"),
        done=_("已开始比对。"),
        back=reverse("exchange:home"),
        crumbs=[(_("国家系统交换"), reverse("exchange:home"))],
        template="exchange/upload.html",
    )


urlpatterns = [
    path("", home, name="home"),
    path("returns/upload/", upload, name="upload"),
    *core_lists.urls(lists.RUNS, "returns/"),
    *core_lists.urls(lists.DIFFERENCES, "differences/"),
]
