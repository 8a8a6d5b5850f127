from django.contrib import admin
from unfold.admin import ModelAdmin

from fupin.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ModelAdmin):
    """Read-only: nobody adds, changes or deletes audit rows, not even through the back office."""

    list_display = ("at", "actor_username", "action", "object_type", "object_repr", "ip", "path")
    list_filter = ("action", "at")
    search_fields = ("actor_username", "object_repr", "object_type", "object_id", "ip", "path", "detail")
    date_hierarchy = "at"
    list_per_page = 50
    show_full_result_count = False  # COUNT(*) over a large trail on every page is slow

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
