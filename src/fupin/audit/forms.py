from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.audit.models import AuditEvent
from fupin.core.lists import FilterForm


class AuditSearchForm(FilterForm):
    """The query form above the audit list (also drives the export)."""

    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("操作类型"), required=False, choices=[("", _("全部"))] + list(AuditEvent.Action.choices)
    )
    obj = forms.CharField(label=_("对象"), required=False, max_length=200)
    ip = forms.CharField(label=_("IP地址"), required=False, max_length=45)
    date_from = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
