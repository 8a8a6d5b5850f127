"""Organisational life pages: recording a meeting (made for a phone), the branch calendar,
meeting lists, missed meetings per township/county, and the scoped photo view."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from fupin.core.scoping import get_visible_or_404
from fupin.party import selectors, services
from fupin.party.choices import MeetingKind
from fupin.party.forms import MeetingForm, MeetingQueryForm, YearQueryForm
from fupin.party.listing import Column, export_list, render_list
from fupin.party.models import Meeting, MeetingPhoto
from fupin.party.views import filters_of, require_may, require_perm, save_form, visible_org

MEETING_COLUMNS = [
    Column(_l("日期"), lambda m: m.held_on),
    Column(_l("党组织"), lambda m: m.org),
    Column(_l("类型"), lambda m: m.get_kind_display()),
    Column(_l("主题"), lambda m: m.topic),
    Column(_l("实到党员"), lambda m: m.attendee_count, num=True),
    Column(_l("缺席党员"), lambda m: m.absent_count, num=True),
    Column(_l("列席人数"), lambda m: len(m.guests or ()), num=True),
]


def _year(request, form) -> int:
    return filters_of(form).get("year") or timezone.localdate().year


def _meeting_rows(request):
    form = MeetingQueryForm(request.GET or None, user=request.user)
    f = filters_of(form)
    rows = selectors.meeting_list(
        user=request.user, kind=f.get("kind", ""), year=f.get("year"), division=f.get("division")
    )
    return form, rows


@login_required
def meeting_list(request):
    require_perm(request, "party.view_meeting")
    form, rows = _meeting_rows(request)
    return render_list(
        request,
        title=_("组织生活"),
        form=form,
        rows=rows,
        columns=MEETING_COLUMNS,
        export="party:meeting_export",
        actions=lambda m: [(_("查看"), reverse("party:meeting_detail", args=[m.pk]))],
        toolbar=[(_("缺会提醒"), reverse("party:overdue"))],
    )


@login_required
def meeting_export(request):
    require_perm(request, "party.view_meeting")
    _form, rows = _meeting_rows(request)
    return export_list(
        request,
        filename=_("组织生活") + ".xlsx",
        object_type="party.meeting",
        rows=rows,
        columns=MEETING_COLUMNS,
    )


@login_required
def meeting_create(request, pk: int):
    """One task per screen: a branch secretary records a meeting on the phone."""
    org = visible_org(request, pk)
    require_may(request, "add_meeting", org)
    initial = {"held_on": timezone.localdate()}
    if request.GET.get("kind") in MeetingKind.values:
        initial["kind"] = request.GET["kind"]
    form = MeetingForm(request.POST or None, request.FILES or None, org=org, initial=initial)

    def write(f):
        data = f.service_fields()
        return services.meeting_record(
            by=request.user,
            org=org,
            attendees=data.pop("attendees"),
            photos=data.pop("photos"),
            request=request,
            **data,
        )

    return save_form(
        request,
        form,
        write,
        template="party/meeting_form.html",
        context={"org": org, "title": _("记录组织生活")},
        success=reverse("party:calendar", args=[org.pk]),
        done=_("已记录会议。"),
    )


def _meeting(request, pk: int) -> Meeting:
    return get_visible_or_404(Meeting.objects.select_related("org", "recorded_by"), request.user, pk=pk)


@login_required
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    return render(
        request,
        "party/meeting_detail.html",
        {
            "meeting": meeting,
            "attendees": meeting.attendees.all(),
            "photos": meeting.photos.all(),
            "can_edit": selectors.may(request.user, "change_meeting", meeting.org),
        },
    )


@login_required
def meeting_edit(request, pk: int):
    meeting = _meeting(request, pk)
    require_may(request, "change_meeting", meeting.org)
    form = MeetingForm(
        request.POST or None,
        org=meeting.org,
        instance=Meeting.objects.get(pk=meeting.pk),
        editing=True,
        initial={"version": meeting.version},
    )
    back = reverse("party:meeting_detail", args=[meeting.pk])
    return save_form(
        request,
        form,
        lambda f: services.meeting_update(
            by=request.user,
            meeting=meeting,
            version=f.cleaned_data["version"] or 0,
            request=request,
            **f.service_fields(),
        ),
        template="party/meeting_form.html",
        context={"org": meeting.org, "title": _("编辑组织生活"), "meeting": meeting},
        success=back,
    )


@login_required
def photo(request, pk: int):
    """A meeting photo, only for users who may see its meeting (never served as a public file)."""
    item = get_visible_or_404(MeetingPhoto.objects.all(), request.user, pk=pk)
    response = FileResponse(item.image.open("rb"), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def calendar(request, pk: int):
    """What the branch owes this year, period by period: done, due, missed or still to come."""
    org = visible_org(request, pk)
    form = YearQueryForm(request.GET or None, user=request.user)
    year = _year(request, form)
    rows = [
        {"kind": MeetingKind(kind).label, "code": kind, "periods": periods}
        for kind, periods in selectors.meeting_calendar(org, year).items()
    ]
    return render(
        request,
        "party/calendar.html",
        {"org": org, "year": year, "rows": rows, "form": form, "may": selectors.Allowed(request.user, org)},
    )


# --- missed meetings ----------------------------------------------------------------------------

OVERDUE_COLUMNS = [
    Column(_l("党组织"), lambda r: r[0].name),
    Column(_l("所在区划"), lambda r: r[0].region),
    Column(_l("类型"), lambda r: MeetingKind(r[1].kind).label),
    Column(_l("应开时段"), lambda r: r[1].label),
    Column(_l("截止日期"), lambda r: r[1].end),
]


def _overdue_rows(request):
    form = YearQueryForm(request.GET or None, user=request.user)
    f = filters_of(form)
    rows = selectors.missed_meetings(user=request.user, year=_year(request, form), division=f.get("division"))
    return form, rows


@login_required
def overdue(request):
    """Missed meetings of every branch in scope (narrow to a township or county with the division)."""
    require_perm(request, "party.view_meeting")
    form, rows = _overdue_rows(request)
    by_org: dict = {}
    for org, _period in rows:
        by_org.setdefault(org, 0)
        by_org[org] += 1
    return render_list(
        request,
        title=_("缺会提醒"),
        form=form,
        rows=rows,
        columns=OVERDUE_COLUMNS,
        export="party:overdue_export",
        actions=lambda r: [(_("日历"), reverse("party:calendar", args=[r[0].pk]))],
        extra={"note": _("共 %(n)d 个党组织有缺会") % {"n": len(by_org)}},
    )


@login_required
def overdue_export(request):
    require_perm(request, "party.view_meeting")
    _form, rows = _overdue_rows(request)
    return export_list(
        request,
        filename=_("缺会提醒") + ".xlsx",
        object_type="party.meeting",
        rows=rows,
        columns=OVERDUE_COLUMNS,
    )
