"""The back office. Entry is a role permission (accounts.use_admin), not `is_staff`/`is_superuser`:
production has no superuser, and each ModelAdmin filters through the scoping choke point."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.sites import UnfoldAdminSite

from fupin.audit.services import audit_model_change


def _version_labelled(names):
    """The optimistic-lock `version` columns have no translated verbose name ("Version" in the
    Chinese back office): show them through `version_label`, which has one."""
    return type(names)("version_label" if name == "version" else name for name in names)


class FupinAdminSite(UnfoldAdminSite):
    def has_permission(self, request):
        user = request.user
        return user.is_active and user.has_perm("accounts.use_admin")


class ScopedModelAdmin(ModelAdmin):
    """Every back-office list and form goes through the scoping choke point and the audit trail.

    Rows come from `visible_to(request.user)`; foreign-key choices are limited the same way;
    saves and deletes are written to the audit trail with before/after values.
    """

    @admin.display(description=_("版本"))
    def version_label(self, obj):
        return obj.version

    def get_readonly_fields(self, request, obj=None):
        return _version_labelled(super().get_readonly_fields(request, obj))

    def get_fields(self, request, obj=None):
        return _version_labelled(super().get_fields(request, obj))

    def get_list_display(self, request):
        return _version_labelled(super().get_list_display(request))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(request.user)
        return queryset.none()  # a model without a scope is never listed through this class

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.remote_field.model._default_manager.all()
        if hasattr(related, "visible_to"):
            kwargs.setdefault("queryset", related.visible_to(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        before = type(obj)._base_manager.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        action = "update" if change else "create"
        audit_model_change(actor=request.user, request=request, instance=obj, action=action, before=before)

    def delete_model(self, request, obj):
        audit_model_change(actor=request.user, request=request, instance=obj, action="delete", before=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
