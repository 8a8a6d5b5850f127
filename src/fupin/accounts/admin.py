"""Back office for accounts. Who may do what comes from role permissions (RoleBackend):
the system administrator edits users; the security administrator grants roles and data scopes,
resets two-factor and revokes tokens. Grants go through the services, so 三员分立 and the audit
trail apply here exactly as elsewhere."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from fupin.accounts.models import ApiToken, DataScope, User, UserRole
from fupin.accounts.services import (
    role_grant_problem,
    user_grant_role,
    user_reset_two_factor,
    user_revoke_role,
    user_set_scopes,
)
from fupin.accounts.tokens import token_revoke
from fupin.audit.services import audit_model_change, audit_record, audit_snapshot
from fupin.core.audit_actions import AuditAction


class _ReadOnlyInline(TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class UserRoleInline(_ReadOnlyInline):
    model = UserRole
    fields = readonly_fields = ["role", "granted_at"]


class DataScopeInline(_ReadOnlyInline):
    model = DataScope
    fields = readonly_fields = ["region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    list_display = ["username", "full_name", "unit", "role_list", "is_active", "last_login"]
    list_filter = ["is_active", "role_grants__role"]
    search_fields = ["username", "full_name"]
    ordering = ["username"]
    # No is_superuser, is_staff, groups or permissions: access comes from roles alone.
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("个人信息"), {"fields": ["full_name", "title", "unit", "email"]}),
        (_("状态"), {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "full_name", "unit", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [UserRoleInline, DataScopeInline]
    actions = ["reset_two_factor"]

    @admin.display(description=_("角色"))
    def role_list(self, obj):
        return "、".join(str(g.get_role_display()) for g in obj.role_grants.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("role_grants")

    def save_model(self, request, obj, form, change):
        before = audit_snapshot(User.objects.get(pk=obj.pk)) if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_model_change(
                actor=request.user,
                request=request,
                instance=obj,
                action=AuditAction.UPDATE if change else AuditAction.CREATE,
                before=before,
            )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            audit_record(
                action=AuditAction.UPDATE,
                request=request,
                obj=user,
                changes={"password": ["******", "******"]},
                detail=str(_("管理员重置密码")),
            )
        return response

    def has_grant_role_permission(self, request):
        return request.user.has_perm("accounts.grant_role")

    @admin.action(description=_("重置两步验证"), permissions=["grant_role"])
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            user_reset_two_factor(user=user, by=request.user, request=request)
        self.message_user(request, _("已重置所选账号的两步验证。"), messages.SUCCESS)


class UserRoleForm(forms.ModelForm):
    class Meta:
        model = UserRole
        fields = ["user", "role"]

    def clean(self):
        data = super().clean()
        if data.get("user") and data.get("role"):
            problem = role_grant_problem(user=data["user"], role=data["role"], by=self.request_user)
            if problem:
                raise ValidationError(problem)
        return data


@admin.register(UserRole)
class UserRoleAdmin(ModelAdmin):
    """Granting a role is adding a row here; revoking is deleting it. Rows are never edited."""

    form = UserRoleForm
    list_display = ["user", "role", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name"]
    autocomplete_fields = ["user"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        granted = user_grant_role(user=obj.user, role=obj.role, by=request.user, request=request)
        obj.pk = granted.pk

    def delete_model(self, request, obj):
        user_revoke_role(user=obj.user, role=obj.role, by=request.user, request=request)

    def delete_queryset(self, request, queryset):
        for grant in queryset.select_related("user"):
            user_revoke_role(user=grant.user, role=grant.role, by=request.user, request=request)


class DataScopeForm(forms.ModelForm):
    class Meta:
        model = DataScope
        fields = ["user", "region"]

    def clean(self):
        data = super().clean()
        user = data.get("user")
        if user is not None and user.is_administrator:
            raise ValidationError(_("管理员账号不查看业务数据,不能设置数据范围。"))
        return data


@admin.register(DataScope)
class DataScopeAdmin(ModelAdmin):
    """Adding or deleting a row changes the user's scope through user_set_scopes (audited)."""

    form = DataScopeForm
    list_display = ["user", "region"]
    search_fields = ["user__username", "user__full_name", "region__code", "region__short_name"]
    autocomplete_fields = ["user", "region"]

    def has_change_permission(self, request, obj=None):
        return False

    @staticmethod
    def _codes(user):
        return set(DataScope.objects.filter(user=user).values_list("region_id", flat=True))

    def save_model(self, request, obj, form, change):
        user_set_scopes(
            user=obj.user,
            region_codes=self._codes(obj.user) | {obj.region_id},
            by=request.user,
            request=request,
        )
        obj.pk = DataScope.objects.get(user=obj.user, region_id=obj.region_id).pk

    def delete_model(self, request, obj):
        user_set_scopes(
            user=obj.user,
            region_codes=self._codes(obj.user) - {obj.region_id},
            by=request.user,
            request=request,
        )

    def delete_queryset(self, request, queryset):
        for scope in queryset.select_related("user"):
            self.delete_model(request, scope)


@admin.register(ApiToken)
class ApiTokenAdmin(ModelAdmin):
    """Tokens are issued by their owners (我的账号); the security administrator can revoke any."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the row is the record of who held the token

    def has_revoke_permission(self, request):
        return request.user.has_perm("accounts.delete_apitoken")

    @admin.action(description=_("吊销所选令牌"), permissions=["revoke"])
    def revoke(self, request, queryset):
        for token in queryset.select_related("user"):
            token_revoke(token=token, by=request.user, request=request)
        self.message_user(request, _("已吊销所选令牌。"), messages.SUCCESS)


# Permissions come from roles (accounts.roles), not from Django groups: hide the unused screen.
admin.site.unregister(Group)
