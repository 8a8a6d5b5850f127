from django.contrib import admin
from unfold.admin import TabularInline

from fupin.admin_site import ScopedModelAdmin
from fupin.orgs.models import AssistedPlace, Unit


class AssistedPlaceInline(TabularInline):
    model = AssistedPlace
    extra = 0
    autocomplete_fields = ["region"]


@admin.register(Unit)
class UnitAdmin(ScopedModelAdmin):
    list_display = ["name", "kind", "parent", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["region", "parent"]
    inlines = [AssistedPlaceInline]
