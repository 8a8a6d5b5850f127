"""Organisational life pages: recording a meeting (made for a phone), the branch calendar,
meetings, and the scoped photo view (the lists of meetings and of missed meetings: lists.py)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.forms import form_page
from fupin.core.permissions import require
from fupin.core.scoping import get_visible_or_404
from fupin.party import selectors, services
from fupin.party.choices import MeetingKind
from fupin.party.forms import MeetingForm, YearQueryForm
from fupin.party.models import Meeting, MeetingPhoto
from fupin.party.views.orgs import visible_org


@login_required
def meeting_create(request, pk: int):
    """One task per screen: a branch secretary records a meeting on the phone."""
    org = visible_org(request, pk)
    require(request, "party.add_meeting", **selectors.keepers(org))
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

    return form_page(
        request,
        form,
        write=write,
        template="party/meeting_form.html",
        org=org,
        title=_("记录组织生活"),
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
    require(request, "party.change_meeting", **selectors.keepers(meeting.org))
    form = MeetingForm(
        request.POST or None,
        org=meeting.org,
        instance=Meeting.objects.get(pk=meeting.pk),
        editing=True,
        initial={"version": meeting.version},
    )
    back = reverse("party:meeting_detail", args=[meeting.pk])
    return form_page(
        request,
        form,
        write=lambda f: services.meeting_update(
            by=request.user,
            meeting=meeting,
            version=f.cleaned_data["version"] or 0,
            request=request,
            **f.service_fields(),
        ),
        template="party/meeting_form.html",
        org=meeting.org,
        title=_("编辑组织生活"),
        meeting=meeting,
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
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or timezone.localdate().year
    rows = [
        {"kind": MeetingKind(kind).label, "code": kind, "periods": periods}
        for kind, periods in selectors.meeting_calendar(org, year).items()
    ]
    return render(
        request,
        "party/calendar.html",
        {"org": org, "year": year, "rows": rows, "form": form, "may": selectors.Allowed(request.user, org)},
    )
