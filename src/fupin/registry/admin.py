"""The registry in the back office: masked values only, sensitive columns read-only, never revealed."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline

from fupin.admin_site import ScopedModelAdmin
from fupin.audit.services import audit_model_change
from fupin.registry.models import (
    DuplicateReport,
    ExitThreshold,
    Household,
    Member,
    PovertyLine,
    VillagePopulation,
)

# Only masked values and plain columns are shown; *_enc and *_bidx never reach a page.
MEMBER_COLUMNS = ("name", "sex", "birth", "id_number", "relation", "ethnicity", "labour")


class MemberInline(TabularInline):
    model = Member
    fields = MEMBER_COLUMNS
    readonly_fields = MEMBER_COLUMNS
    extra = 0
    can_delete = False
    show_change_link = False

    @admin.display(description=_("出生日期"))
    def birth(self, obj):
        return obj.birth_date_masked

    @admin.display(description=_("身份证号"))
    def id_number(self, obj):
        return obj.id_number_masked

    def has_add_permission(self, request, obj=None):
        return False  # members are added through the services (ID checks, duplicates)


@admin.register(Household)
class HouseholdAdmin(ScopedModelAdmin):
    list_display = [
        "number",
        "head_name",
        "village",
        "attribute",
        "main_cause",
        "status",
        "exit_year",
        "member_count",
    ]
    list_filter = ["status", "attribute", "main_cause"]
    search_fields = ["number", "head_name"]
    list_select_related = ["village"]
    show_full_result_count = False
    inlines = [MemberInline]
    readonly_fields = [
        "number",
        "village",
        "head_name",
        "phone_masked",
        "bank_account_masked",
        "status",
        "exit_year",
        "exit_review",
        "member_count",
        "version",
    ]
    fields = [
        *readonly_fields,
        "group_name",
        "bank_name",
        "attribute",
        "main_cause",
        "cause2",
        "cause3",
        "housing_area",
        "housing_structure",
        "housing_year",
        "relocated",
        "safe_water",
        "electricity",
    ]

    def has_add_permission(self, request):
        return False  # registration goes through the screens and imports (services)

    def has_change_permission(self, request, obj=None):
        return False  # edits need the version check of registry.services

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DuplicateReport)
class DuplicateReportAdmin(ScopedModelAdmin):
    list_display = ["id_number", "existing_county", "attempted_county", "at", "by", "resolved"]
    list_filter = ["resolved"]
    readonly_fields = ["id_number", "existing_county", "attempted_county", "at", "by"]
    fields = [*readonly_fields, "resolved"]

    @admin.display(description=_("身份证号"))
    def id_number(self, obj):
        return obj.id_number_masked

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceDataAdmin(ModelAdmin):
    """National reference data (no place): listed for whoever holds the view permission; each
    save and delete is audited like ScopedModelAdmin's."""

    def save_model(self, request, obj, form, change):
        before = type(obj)._base_manager.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        audit_model_change(
            actor=request.user,
            request=request,
            instance=obj,
            action="update" if change else "create",
            before=before,
        )

    def delete_model(self, request, obj):
        audit_model_change(actor=request.user, request=request, instance=obj, action="delete", before=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(PovertyLine)
class PovertyLineAdmin(ReferenceDataAdmin):
    list_display = ["year", "amount", "note"]


@admin.register(ExitThreshold)
class ExitThresholdAdmin(ReferenceDataAdmin):
    list_display = ["province_code", "threshold", "note"]


@admin.register(VillagePopulation)
class VillagePopulationAdmin(ScopedModelAdmin):
    """农村户籍人口 per village and year (贫困发生率's denominator): scoped to the user's places."""

    list_display = ["village", "year", "population", "source", "updated_at"]
    list_filter = ["year"]
    search_fields = ["village__code", "village__name"]
    list_select_related = ["village"]
    fields = ["village", "year", "population", "source"]
