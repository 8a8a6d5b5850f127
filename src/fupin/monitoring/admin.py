"""Monitoring in the back office: the standards as data (监测标准, 低保标准, 程序时限, 节假日, 帮扶层级,
预警规则), and read-only, scoped views of leads, objects and eliminations (their steps go through the
pages and monitoring.services, which keep the review chain, its events and deadlines).

A monitoring line or 低保 standard belongs to an area: it is listed through the scoping choke point
and may be written only for an area inside the user's own data scope (a county sets its own line,
never its province's). Procedures, the calendar, layers and rules are reference data every role
with the view permission reads; each save and delete is audited (ScopedModelAdmin).
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline

from fupin.admin_site import ScopedModelAdmin
from fupin.core.permissions import within
from fupin.monitoring.models import (
    CalendarDay,
    DibaoStandard,
    Elimination,
    Layer,
    Lead,
    MonitoringLine,
    MonitoringObject,
    ObjectRisk,
    Procedure,
    RiskRule,
)


class ReferenceAdmin(ScopedModelAdmin):
    """Reference data not tied to a place: every row listed (for whoever holds the view permission);
    saves and deletes still audited."""

    def get_queryset(self, request):
        return super(ScopedModelAdmin, self).get_queryset(request)


class StandardForm(forms.ModelForm):
    """A standard's area must lie in the user's own data scope."""

    user = None  # set per request by StandardAdmin.get_form

    def clean_region(self):
        region = self.cleaned_data["region"]
        if region is not None and not within(self.user, code=region.code, own=True):
            raise forms.ValidationError(_("只能为本人数据范围内的地区设置标准。"))
        return region


class StandardAdmin(ScopedModelAdmin):
    form = StandardForm
    list_display = ["year", "region", "amount", "note"]
    list_filter = ["year"]
    list_select_related = ["region"]
    search_fields = ["region__name", "region__code"]
    autocomplete_fields = ["region"]
    ordering = ["-year", "region"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})


@admin.register(MonitoringLine)
class MonitoringLineAdmin(StandardAdmin):
    pass


@admin.register(DibaoStandard)
class DibaoStandardAdmin(StandardAdmin):
    pass


@admin.register(Procedure)
class ProcedureAdmin(ReferenceAdmin):
    list_display = [
        "province_code",
        "decision_days",
        "working_days",
        "accept_working_days",
        "publicity_days",
        "stable_months",
        "note",
    ]


@admin.register(CalendarDay)
class CalendarDayAdmin(ReferenceAdmin):
    list_display = ["date", "working", "note"]
    list_filter = ["working"]
    date_hierarchy = "date"


@admin.register(Layer)
class LayerAdmin(ReferenceAdmin):
    list_display = ["order", "code", "name", "description"]
    list_display_links = ["code", "name"]


@admin.register(RiskRule)
class RiskRuleAdmin(ReferenceAdmin):
    list_display = ["code", "name", "kind", "risk", "region", "active"]
    list_filter = ["kind", "risk", "active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["region"]


class ReadOnlyAdmin(ScopedModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


CHAIN_FIELDS = [
    "stage",
    "opened_on",
    "step_due",
    "decision_due",
    "consent_signed",
    "verified_on",
    "verification",
    "comparison",
    "votes_for",
    "votes_against",
    "votes_abstain",
    "publicity_from",
    "publicity_to",
    "decided_on",
    "closing_reasons",
]


@admin.register(Lead)
class LeadAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "channel",
        "village",
        "household",
        "stage",
        "step_due",
        "decision_due",
        "opened_on",
    ]
    list_filter = ["channel", "stage"]
    search_fields = ["number"]
    list_select_related = ["village", "household"]
    show_full_result_count = False
    # Only masked values: *_enc and *_bidx never reach a page.
    fields = [
        "number",
        "channel",
        "village",
        "household",
        "applicant_name",
        "phone_masked",
        "id_number",
        "risks",
        "disaster_kind",
        "hardship",
        "proposed_type",
        "rule",
        "period",
        "facts",
        "screening",
        "reported_by",
        *CHAIN_FIELDS,
        "version",
    ]
    readonly_fields = fields

    @admin.display(description=_("身份证号"))
    def id_number(self, obj):
        return obj.id_number_masked


class ObjectRiskInline(TabularInline):
    model = ObjectRisk
    fields = ["risk", "disaster_kind", "order"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MonitoringObject)
class MonitoringObjectAdmin(ReadOnlyAdmin):
    list_display = ["household", "type", "status", "layer", "former_poor", "safety_net", "identified_on"]
    list_filter = ["type", "status", "layer", "safety_net"]
    list_select_related = ["household", "layer"]
    show_full_result_count = False
    inlines = [ObjectRiskInline]
    fields = [
        "household",
        "lead",
        "type",
        "former_poor",
        "identified_on",
        "status",
        "safety_net",
        "layer",
        "eliminated_on",
        "elimination_kind",
        "version",
    ]
    readonly_fields = fields


@admin.register(Elimination)
class EliminationAdmin(ReadOnlyAdmin):
    list_display = ["object", "kind", "stage", "step_due", "decision_due", "opened_on", "decided_on"]
    list_filter = ["kind", "stage"]
    list_select_related = ["object", "object__household"]
    fields = ["object", "kind", "basis", "proposed_by", *CHAIN_FIELDS, "version"]
    readonly_fields = fields
