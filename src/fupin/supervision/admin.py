"""Supervision in the back office: the problem categories and checklists as data (the county edits
them), and read-only, scoped views of findings, inspections and tasks (their steps go through the
pages and supervision.services, which keep the closed loop and its events)."""

from django.contrib import admin
from unfold.admin import TabularInline

from fupin.admin_site import ScopedModelAdmin
from fupin.supervision.models import Category, Checklist, ChecklistItem, Finding, Inspection, Task


class ReferenceAdmin(ScopedModelAdmin):
    """Reference data not tied to a place: every row listed; saves and deletes still audited."""

    def get_queryset(self, request):
        return super(ScopedModelAdmin, self).get_queryset(request)


@admin.register(Category)
class CategoryAdmin(ReferenceAdmin):
    list_display = ["name", "soon_days", "order", "active"]
    list_editable = ["soon_days", "order", "active"]


class ChecklistItemInline(TabularInline):
    model = ChecklistItem
    extra = 0


@admin.register(Checklist)
class ChecklistAdmin(ReferenceAdmin):
    list_display = ["name", "active"]
    inlines = [ChecklistItemInline]


class ReadOnlyAdmin(ScopedModelAdmin):
    """Scoped and read-only: the workflow belongs to the pages and the services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["number", "division", "category", "severity", "state", "deadline", "responsible_unit"]
    list_filter = ["state", "severity", "category"]
    search_fields = ["number", "description"]
    list_select_related = ["division", "category", "responsible_unit"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "area", "start", "end", "state"]
    list_select_related = ["area"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "lead_unit", "responsible_unit", "deadline", "state"]
    list_select_related = ["plan", "lead_unit", "responsible_unit"]
