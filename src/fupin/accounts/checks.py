"""Deploy checks for login security: production has no superuser (等保 三员分立)."""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from fupin.accounts.models import User


@register(Tags.security, deploy=True)
def check_no_superuser(app_configs, **kwargs):
    try:
        names = list(
            User.objects.filter(is_superuser=True, is_active=True).values_list("username", flat=True)[:5]
        )
    except DatabaseError:
        return []  # not migrated yet: nothing to check
    if not names:
        return []
    return [
        Error(
            "Active superuser accounts exist: " + ", ".join(names),
            hint="Production has no superuser; permissions come from the three administrator roles. "
            "Deactivate them or clear is_superuser.",
            id="fupin.E001",
        )
    ]
