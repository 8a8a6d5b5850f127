"""Reports in the back office: the indicator catalogue (its texts come from the declarations and are
read-only here; only the `启用` switch is edited, audited) and the history of rollup refreshes.

Both are national reference, not place data: every row is listed to whoever holds the view
permission (the scoping choke point has nothing to filter on).
"""

from django.contrib import admin

from fupin.admin_site import ScopedModelAdmin
from fupin.reports.models import Indicator, RefreshRun


class ReferenceAdmin(ScopedModelAdmin):
    def get_queryset(self, request):
        return super(ScopedModelAdmin, self).get_queryset(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(ReferenceAdmin):
    list_display = ["code", "name", "unit", "period", "kind", "active", "declared"]
    list_filter = ["app", "period", "kind", "active", "declared"]
    search_fields = ["code", "name"]
    fields = [
        "code",
        "app",
        "name",
        "definition",
        "unit",
        "period",
        "kind",
        "levels",
        "position",
        "declared",
        "active",
    ]
    readonly_fields = [f for f in fields if f != "active"]
    ordering = ["position", "code"]


@admin.register(RefreshRun)
class RefreshRunAdmin(ReferenceAdmin):
    list_display = ["started_at", "full", "indicators", "codes", "rows", "seconds"]
    list_filter = ["full"]
    readonly_fields = list_display

    def has_change_permission(self, request, obj=None):
        return False
