"""Projects and funds in the back office: read-mostly lists, scoped; the ledger is never edited here.

Writes need the workflow's and the ledger's rules (services), so the admin only lists and shows;
fund sources' plain descriptive fields may be corrected (audited by ScopedModelAdmin).
"""

from django.contrib import admin

from fupin.admin_site import ScopedModelAdmin
from fupin.projects.models import FundSource, LedgerEntry, Project


class ReadOnlyAdmin(ScopedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "category", "place", "year", "unit", "status", "budget"]
    list_filter = ["status", "category", "year"]
    search_fields = ["name"]
    list_select_related = ["place", "unit"]


@admin.register(FundSource)
class FundSourceAdmin(ScopedModelAdmin):
    list_display = ["name", "kind", "year", "place", "unit"]
    list_filter = ["kind", "year"]
    search_fields = ["name"]
    list_select_related = ["place", "unit"]
    readonly_fields = ["kind", "year", "place", "unit"]
    fields = ["name", *readonly_fields, "note"]

    def has_add_permission(self, request):
        return False  # sources are made through the services (owner rules)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "date", "kind", "source", "project", "amount", "memo", "reverses"]
    list_filter = ["kind"]
    list_select_related = ["source", "project", "reverses"]
