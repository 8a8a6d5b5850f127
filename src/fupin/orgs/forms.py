from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.core.lists import FilterForm
from fupin.orgs.models import Unit


class UnitQueryForm(FilterForm):
    """The query form above the unit list (查询/重置), and the API's query parameters."""

    q = forms.CharField(label=_("单位名称"), required=False, max_length=50)
    kind = forms.ChoiceField(
        label=_("单位类型"), required=False, choices=[("", _("全部")), *Unit.Kind.choices]
    )
