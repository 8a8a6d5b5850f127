from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.regions import selectors
from fupin.regions.models import Region
from fupin.regions.widgets import RegionPickerWidget


class RegionField(forms.CharField):
    """A division chosen with the picker; cleans to a Region (or None when optional and empty)."""

    default_error_messages = {
        "invalid": _("请选择有效的行政区划。"),
        "outside": _("所选区划不在允许的范围内。"),
    }

    def __init__(self, *, root: str | None = None, **kwargs):
        self.root = root
        kwargs.setdefault("widget", RegionPickerWidget(root=root))
        super().__init__(**kwargs)

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        if not selectors.is_wellformed_code(code):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if self.root and not code.startswith(self.root):
            raise forms.ValidationError(self.error_messages["outside"], code="outside")
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return region


class BrowseForm(forms.Form):
    region = RegionField(label=_("行政区划"), required=False)
