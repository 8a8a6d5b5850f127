from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.audit.models import AuditEvent


class AuditSearchForm(forms.Form):
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

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["actor"]:
            queryset = queryset.filter(actor_username__icontains=data["actor"])
        if data["action"]:
            queryset = queryset.filter(action=data["action"])
        if data["obj"]:
            term = data["obj"]
            queryset = (
                queryset.filter(object_repr__icontains=term)
                | queryset.filter(object_type__icontains=term)
                | queryset.filter(object_id=term)
            )
        if data["ip"]:
            queryset = queryset.filter(ip__startswith=data["ip"])
        if data["date_from"]:
            queryset = queryset.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            queryset = queryset.filter(at__date__lte=data["date_to"])
        return queryset
