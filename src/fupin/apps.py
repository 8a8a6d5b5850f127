from django.contrib.admin.apps import AdminConfig


class FupinAdminConfig(AdminConfig):
    """The admin, themed by unfold and gated by role permissions instead of is_staff."""

    default_site = "fupin.admin_site.FupinAdminSite"
