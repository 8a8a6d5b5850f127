from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.regions import selectors
from fupin.regions.models import Region
from fupin.regions.widgets import ALL_LEVELS, RegionPickerWidget


class RegionField(forms.CharField):
    """A division chosen with the picker; cleans to a Region (or None when optional and empty).

    `root` keeps the choice under one code (the user's place); `levels` are the levels the value may
    have, e.g. `levels=(5,)` for a household's village; by default any level. A picker left at its
    root sends the root when the root's level is allowed (see RegionPickerWidget), so a county
    officer may choose their own county wherever a county is a valid answer."""

    default_error_messages = {
        "invalid": _("请选择有效的行政区划。"),
        "outside": _("所选区划不在允许的范围内。"),
        "level": _("请选择到%(levels)s。"),
    }

    def __init__(self, *, root: str | None = None, levels=None, **kwargs):
        self.root = root
        self.levels = tuple(sorted(set(levels))) if levels else ALL_LEVELS
        kwargs.setdefault("widget", RegionPickerWidget(root=root, levels=self.levels))
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
        if region.level not in self.levels:
            names = "、".join(str(Region.Level(level).label) for level in self.levels)
            raise forms.ValidationError(self.error_messages["level"], code="level", params={"levels": names})
        return region


class BrowseForm(forms.Form):
    region = RegionField(label=_("行政区划"), required=False)
