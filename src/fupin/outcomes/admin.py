"""Outcomes in the back office: scoped lists to search and filter; edits go through the screens and
the API, where the services check the version, the assisted county and the writer's unit."""

from django.contrib import admin

from fupin.admin_site import ScopedModelAdmin
from fupin.outcomes.models import IndicatorTarget, Placement, Purchase


class ReadOnlyScopedAdmin(ScopedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Purchase)
class PurchaseAdmin(ReadOnlyScopedAdmin):
    list_display = ["date", "unit", "kind", "region", "supplier", "product", "amount", "channel"]
    list_filter = ["kind", "channel"]
    search_fields = ["supplier", "product"]
    list_select_related = ["unit", "region"]
    date_hierarchy = "date"


@admin.register(Placement)
class PlacementAdmin(ReadOnlyScopedAdmin):
    list_display = ["date", "name", "unit", "region", "employer", "kind", "wage_band"]
    list_filter = ["kind", "wage_band"]
    search_fields = ["name", "employer"]
    list_select_related = ["unit", "region"]
    exclude = ["member"]  # the person is shown by name; the registry link stays on the screens


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "unit",
        "year",
        "direct_funds",
        "brought_in_funds",
        "cadres_trained",
        "technicians_trained",
    ]
    list_filter = ["year"]
    list_select_related = ["unit"]
