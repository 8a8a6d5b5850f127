"""Assistance in the back office: read-only, scoped lists (edits go through the pages and services,
which keep the version checks, workflow events and rules)."""

from django.contrib import admin
from unfold.admin import TabularInline

from fupin.admin_site import ScopedModelAdmin
from fupin.assistance.models import Cadre, Pairing, Posting, TrainingAttendee, TrainingClass, Visit, WorkTeam


class ReadOnlyAdmin(ScopedModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Cadre)
class CadreAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit", "level", "title", "region"]
    # The masked copy only, as on every screen: phone_enc is not editable, so never on a page.
    readonly_fields = ["phone_masked"]
    list_filter = ["level"]
    search_fields = ["name"]
    list_select_related = ["unit", "region"]


@admin.register(Pairing)
class PairingAdmin(ReadOnlyAdmin):
    list_display = ["cadre", "household", "start", "end"]
    list_select_related = ["cadre", "household"]


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ["cadre", "kind", "region", "team", "post_title", "start", "end"]
    list_filter = ["kind"]
    list_select_related = ["cadre", "region", "team"]


@admin.register(WorkTeam)
class WorkTeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit", "village", "status", "start", "end"]
    list_filter = ["status"]
    list_select_related = ["unit", "village"]


class AttendeeInline(TabularInline):
    model = TrainingAttendee
    extra = 0
    can_delete = False
    fields = ["kind", "name", "unit_name", "count"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TrainingClass)
class TrainingClassAdmin(ReadOnlyAdmin):
    list_display = ["topic", "form", "kind", "start", "organiser", "region", "hours"]
    list_filter = ["form", "kind"]
    list_select_related = ["organiser", "region"]
    inlines = [AttendeeInline]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["household", "visited_on", "cadre", "visitor", "people_met"]
    list_select_related = ["household", "cadre", "visitor"]
    exclude = ["latitude", "longitude"]
