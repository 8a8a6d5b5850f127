"""Registry's 待办 (core.todo): exits waiting at the user's step of the three-step review — proposed by
the village, for the township that checks them (registry.check_exit); checked by the township, for the
county that approves them (registry.approve_exit). Each line opens the household list filtered to
that step (`?exit_review=…`), which lists exactly the households counted."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from fupin.core.todo import DUE, Todo, register
from fupin.registry import selectors
from fupin.registry.choices import ExitReview

STEPS = (
    ("registry.check_exit", ExitReview.PROPOSED, _("待乡镇审核的脱贫申请")),
    ("registry.approve_exit", ExitReview.CHECKED, _("待县级审定的脱贫申请")),
)


@register
def registry_todos(user) -> list[Todo]:
    if user is None or not user.is_authenticated:
        return []
    items = []
    for perm, step, label in STEPS:
        if not user.has_perm(perm):
            continue
        count = selectors.household_list(user=user, filters={"exit_review": step}).count()
        url = f"{reverse('registry:household_list')}?{urlencode({'exit_review': step})}"
        items.append(Todo("registry", label, count, url, DUE))
    return items
