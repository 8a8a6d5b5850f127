from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.audit.forms import AuditSearchForm
from fupin.audit.models import AuditEvent
from fupin.audit.services import audit_denied, audit_record
from fupin.core.exports import xlsx_response

PAGE_SIZES = (20, 50, 100)


def _page_size(request) -> int:
    try:
        size = int(request.GET.get("size", PAGE_SIZES[0]))
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


@login_required
@permission_required("audit.view_auditevent", raise_exception=True)
def event_list(request):
    form = AuditSearchForm(request.GET or None)
    events = form.filter(AuditEvent.objects.all()) if form.is_bound else AuditEvent.objects.all()
    page = Paginator(events, _page_size(request)).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "page_sizes": PAGE_SIZES},
    )


EXPORT_HEADERS = (
    "ID",
    gettext_lazy("时间"),
    gettext_lazy("操作人"),
    gettext_lazy("操作"),
    gettext_lazy("对象类型"),
    gettext_lazy("对象ID"),
    gettext_lazy("对象"),
    gettext_lazy("区划代码"),
    gettext_lazy("IP地址"),
    gettext_lazy("请求路径"),
    gettext_lazy("说明"),
)


@login_required
@permission_required("audit.export_auditevent", raise_exception=True)
def event_export(request):
    form = AuditSearchForm(request.GET or None)
    events = form.filter(AuditEvent.objects.all()) if form.is_bound else AuditEvent.objects.all()
    total = events.count()
    # The export is itself audited, before the file is built, with the filter that chose the rows.
    audit_record(
        action=AuditEvent.Action.EXPORT,
        request=request,
        object_type="audit.auditevent",
        object_repr=_("审计记录"),
        detail=_("导出 %(count)d 条,条件:%(query)s") % {"count": total, "query": request.GET.urlencode()},
    )
    rows = (
        (
            e.id,
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_username,
            e.get_action_display(),
            e.object_type,
            e.object_id,
            e.object_repr,
            e.region_code,
            e.ip,
            e.path,
            e.detail,
        )
        for e in events.iterator(chunk_size=2000)
    )
    filename = _("审计日志") + timezone.localtime().strftime("-%Y%m%d-%H%M%S") + ".xlsx"
    return xlsx_response(filename, EXPORT_HEADERS, rows)


def permission_denied(request, exception=None):
    """handler403: every refusal is written to the audit trail, then a Chinese 403 page."""
    reason = str(exception) if exception else ""
    audit_denied(request, reason or _("没有访问权限"))
    return render(request, "audit/denied.html", {"reason": reason}, status=403)
