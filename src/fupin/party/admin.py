"""Party records in the back office: organisations and pairings scoped like everything else;
checklists and indicator sets are reference data (editable by the county's organisation office)."""

from django.contrib import admin
from unfold.admin import TabularInline

from fupin.admin_site import ScopedModelAdmin
from fupin.party.models import (
    Checklist,
    ChecklistCategory,
    ChecklistItem,
    Indicator,
    IndicatorSet,
    Pairing,
    PartyOrg,
)


class ReferenceAdmin(ScopedModelAdmin):
    """Reference data every role reads (not tied to a place); saves and deletes still audited."""

    def get_queryset(self, request):
        return super(ScopedModelAdmin, self).get_queryset(request)


@admin.register(PartyOrg)
class PartyOrgAdmin(ScopedModelAdmin):
    list_display = ["name", "level", "kind", "parent", "region", "unit"]
    list_filter = ["level", "kind"]
    search_fields = ["name"]
    list_select_related = ["parent", "region", "unit"]
    autocomplete_fields = ["region"]
    readonly_fields = ["secretary_vacant_since", "version"]


@admin.register(Pairing)
class PairingAdmin(ScopedModelAdmin):
    list_display = ["helper", "village_branch", "started_on", "ended_on"]
    list_select_related = ["helper", "village_branch"]


class ChecklistCategoryInline(TabularInline):
    model = ChecklistCategory
    extra = 0
    show_change_link = True


class ChecklistItemInline(TabularInline):
    model = ChecklistItem
    extra = 0


@admin.register(Checklist)
class ChecklistAdmin(ReferenceAdmin):
    list_display = ["name", "issued_by", "active"]
    inlines = [ChecklistCategoryInline]


@admin.register(ChecklistCategory)
class ChecklistCategoryAdmin(ReferenceAdmin):
    list_display = ["name", "checklist", "order"]
    list_filter = ["checklist"]
    inlines = [ChecklistItemInline]


class IndicatorInline(TabularInline):
    model = Indicator
    extra = 0


@admin.register(IndicatorSet)
class IndicatorSetAdmin(ReferenceAdmin):
    list_display = ["name", "issued_by", "active"]
    inlines = [IndicatorInline]
