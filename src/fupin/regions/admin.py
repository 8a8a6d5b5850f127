from django.contrib import admin
from unfold.admin import ModelAdmin

from fupin.regions.models import Region


@admin.register(Region)
class RegionAdmin(ModelAdmin):
    """Division codes are national reference data: searchable (for pickers), never edited by hand —
    they change only through `fupin regions load`."""

    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "short_name", "initials"]
    show_full_result_count = False  # counting 665,276 rows on every page is wasted work

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        # Prefix matches use the indexes; a 665k-row table must not be scanned for every keystroke.
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.isdigit():
            return queryset.filter(code__startswith=term), False
        if term.isascii():
            return queryset.filter(initials__startswith=term.lower()), False
        return queryset.filter(short_name__startswith=term), False
