"""The back office. Entry is a role permission (accounts.use_admin), not `is_staff`/`is_superuser`:
production has no superuser, and each ModelAdmin filters through the scoping choke point."""

from unfold.sites import UnfoldAdminSite


class FupinAdminSite(UnfoldAdminSite):
    def has_permission(self, request):
        user = request.user
        return user.is_active and user.has_perm("accounts.use_admin")
