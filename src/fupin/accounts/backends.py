"""Permissions come from the user's roles (accounts.roles.ROLE_PERMISSIONS) plus any granted directly.

is_superuser is never consulted: production has no superuser (等保 三员分立).
"""

from django.contrib.auth.backends import ModelBackend

from fupin.accounts.roles import ROLE_PERMISSIONS


class RoleBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_fupin_perm_cache"):
            perms = set(super().get_user_permissions(user_obj))
            for role in user_obj.roles:
                perms |= ROLE_PERMISSIONS.get(role, frozenset())
            user_obj._fupin_perm_cache = perms
        return user_obj._fupin_perm_cache

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(app_label + ".") for p in self.get_all_permissions(user_obj))
