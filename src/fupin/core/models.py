"""Model blocks every app builds on: abstract bases, so a shape is written once, not copied per app.

No tables of its own. A concrete model names the blocks it has (`class Household(Versioned,
Timestamped)`); the columns stay in the app's own table, as before.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Created(models.Model):
    """When the row was written."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        abstract = True


class Updated(models.Model):
    """When the row was last changed (`core.versioning.update_if_current` sets it too: auto_now does
    not fire on a queryset update)."""

    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class Timestamped(Created, Updated):
    """Created and last changed."""

    class Meta:
        abstract = True


class Versioned(models.Model):
    """A record users edit: the version `core.versioning.update_if_current` checks and bumps."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class StatusEvent(models.Model):
    """One status change of a record: when, who, from which status to which, and why.

    A subclass adds the foreign key to its record (with `related_name="events"`) and redeclares
    `from_status` / `to_status` with its status choices; the columns stay as declared here.
    """

    # Set on insert, not taken from the caller: the row says when it was written. A service that
    # replays a past step (the demo) restamps it with an explicit update.
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    # PROTECT, not SET_NULL: the history must keep who made each step, so a user who has acted is
    # deactivated, never deleted. Null only for steps no person made (an import, a system job).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    reason = models.TextField(_("说明"), blank=True)

    class Meta:
        abstract = True
