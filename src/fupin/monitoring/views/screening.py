"""Department screening pages (部门筛查预警): upload (source, period, file), the mapping step, a batch
with its counts and its report of unmatched and bad rows (masked), and the list of batches.

An upload is saved under MEDIA_ROOT/screening/<id>/ and its headers read (every file-level check of
the registry import runs here already, so a refused file is said on the form). When the source's
mapping in the county covers the file, the import starts at once; else the mapping step asks which
header is which (its choices remembered in the session under the upload's id, for this user only).
The import runs on the job queue (monitoring.screening_jobs) and the browser goes to the job's page.
"""

from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from fupin.core import lists
from fupin.core.forms import ScopedForm, apply_service_errors
from fupin.core.lists import audit_export
from fupin.core.menu import section_for
from fupin.core.permissions import require
from fupin.monitoring import screening, screening_jobs
from fupin.monitoring.choices import Source
from fupin.regions.forms import RegionField

PENDING = "monitoring-screening-pending"  # the session's uploads waiting for their mapping
PREVIEW = 50  # report lines shown on the batch page


class UploadForm(ScopedForm):
    region_fields = ("county",)
    county = RegionField(label=gettext_lazy("县(市、区)"), levels=(3,))
    source = forms.ChoiceField(label=gettext_lazy("数据来源部门"), choices=[("", "—")] + Source.choices)
    period = forms.CharField(
        label=gettext_lazy("数据期间"),
        max_length=7,
        help_text=gettext_lazy("名单所属的月份,如 2026-03"),
        widget=forms.TextInput(attrs={"placeholder": "2026-03"}),
    )
    file = forms.FileField(
        label=gettext_lazy("文件"),
        help_text=gettext_lazy("部门导出的 .xlsx 或 .csv(UTF-8 或 GBK 编码),第一行为表头;不能含公式。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("period", f"{timezone.localdate():%Y-%m}")

    def clean_period(self):
        try:
            return screening.check_period(self.cleaned_data["period"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            screening.check_file_name(upload.name)
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["file"]) from None
        limit = screening.max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("文件超过 %(n)d MB 的上限,请拆分后分批上传。") % {"n": limit // 1024 // 1024}
            )
        return upload


class MappingForm(forms.Form):
    """Which of the file's headers holds each field; the guess (or the saved mapping) preselected."""

    def __init__(self, *args, headers: list[str], initial_mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("—(文件中没有此项)"))] + [(h, h) for h in headers]
        for field in screening.FIELDS:
            self.fields[field.key] = forms.ChoiceField(
                label=field.label,
                choices=choices,
                required=field.required,
                initial=initial_mapping.get(field.key, ""),
                error_messages={"required": _("请选择“%(field)s”所在的列") % {"field": field.label}},
            )

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                self.mapping = screening.check_mapping({k: v for k, v in cleaned.items() if v}, self.headers)
            except ValidationError as exc:
                apply_service_errors(self, exc)
        return cleaned


def _crumbs(request, *more):
    section = section_for(request)
    return [*([section] if section else []), (_("部门筛查"), reverse("monitoring:screening_list")), *more]


def _start(request, *, job_id, saved: Path, filename: str, source: str, county: str, period: str, mapping):
    job = screening_jobs.start(
        user=request.user,
        job_id=job_id,
        path=saved,
        filename=filename,
        source=source,
        county=county,
        period=period,
        mapping=mapping,
    )
    return redirect("jobs:status", job_id=job.pk)


@login_required
def upload(request):
    require(request, screening.PERM)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        county = data["county"].code
        # One upload waits for its mapping per session: an earlier one left unmapped is dropped.
        for token in request.session.pop(PENDING, {}):
            screening_jobs.discard(token)
        job_id = screening_jobs.new_job_id()
        saved = screening_jobs.save_upload(data["file"], job_id)
        filename = Path(data["file"].name).name[:200]
        try:
            require(request, screening.PERM, code=county)
            headers = screening.read_headers(saved, filename)
            screening.resolve_mapping(data["source"], county, headers, None)
        except screening.MappingNeeded as needed:
            pending = {}
            pending[str(job_id)] = {
                "path": str(saved),
                "filename": filename,
                "source": data["source"],
                "county": county,
                "period": data["period"],
                "headers": needed.headers,
                "guess": needed.guess,
                "missing": needed.missing,
            }
            request.session[PENDING] = pending
            return redirect("monitoring:screening_map", token=job_id)
        except ValidationError as exc:
            screening_jobs.discard(job_id)
            apply_service_errors(form, exc)
        except BaseException:
            screening_jobs.discard(job_id)
            raise
        else:
            return _start(
                request,
                job_id=job_id,
                saved=saved,
                filename=filename,
                source=data["source"],
                county=county,
                period=data["period"],
                mapping=None,
            )
    return render(
        request,
        "monitoring/screening_upload.html",
        {"form": form, "title": _("上传部门数据"), "crumbs": _crumbs(request), "fields": screening.FIELDS},
    )


@login_required
def map_columns(request, token):
    require(request, screening.PERM)
    pending = request.session.get(PENDING, {})
    item = pending.get(str(token))
    if item is None or not Path(item["path"]).exists():
        raise Http404
    form = MappingForm(request.POST or None, headers=item["headers"], initial_mapping=item["guess"])
    if request.method == "POST" and form.is_valid():
        pending.pop(str(token), None)
        request.session[PENDING] = pending
        return _start(
            request,
            job_id=token,
            saved=Path(item["path"]),
            filename=item["filename"],
            source=item["source"],
            county=item["county"],
            period=item["period"],
            mapping=form.mapping,
        )
    return render(
        request,
        "monitoring/screening_map.html",
        {
            "form": form,
            "item": item,
            "source_label": Source(item["source"]).label,
            "title": _("指定列的对应关系"),
            "crumbs": _crumbs(request),
        },
    )


@login_required
@require_GET
def batch_detail(request, pk: int):
    require(request, screening.VIEW_PERM)
    batch = screening.batch_for(request.user, pk)
    if batch is None:
        raise Http404
    may_rows = request.user.has_perm(screening.ROWS_PERM)
    return render(
        request,
        "monitoring/screening_batch.html",
        {
            "batch": batch,
            "title": batch.file_name,
            "crumbs": _crumbs(request),
            "problems": list(screening.report_lines(batch, PREVIEW)) if may_rows else [],
            "preview": PREVIEW,
            "may_rows": may_rows,
            "leads_url": reverse("monitoring:lead_list") + f"?channel=department&division={batch.county_id}",
        },
    )


@login_required
@require_GET
def batch_report(request, pk: int):
    require(request, screening.ROWS_PERM)
    batch = screening.batch_for(request.user, pk)
    if batch is None:
        raise Http404
    sheet = screening.report_sheet(batch)
    audit_export(
        request=request,
        name="monitoring.screening_report",
        title=_("部门筛查未匹配和有误的行"),
        filters={"batch": batch.pk},
        count=sheet.count,
        masked=True,
    )
    return sheet.response(
        _("%(source)s%(period)s未匹配和有误的行.xlsx")
        % {"source": batch.get_source_display(), "period": batch.period}
    )


urlpatterns = [
    *lists.urls(screening.SCREENING_BATCHES, "screening/"),
    path("screening/upload/", upload, name="screening_upload"),
    path("screening/upload/<uuid:token>/columns/", map_columns, name="screening_map"),
    path("screening/<int:pk>/", batch_detail, name="screening_batch"),
    path("screening/<int:pk>/report/", batch_report, name="screening_report"),
]
