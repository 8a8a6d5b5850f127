"""A cascading division picker: one <select> per level, the deepest choice in a hidden input.

The selects along the current value's path are rendered on the server (so the form shows the
right state on first paint and after a failed submit); picker.js fetches deeper levels from
/api/regions/{code}/children as the user chooses. The script and its stylesheet are loaded by the
base layout on every page (deferred, after the page is built), so the widget declares no Media:
a template never has to remember `{{ form.media }}`.
"""

from django import forms
from django.urls import reverse

from fupin.regions import selectors
from fupin.regions.models import CODE_LENGTHS, Region

ALL_LEVELS = (1, 2, 3, 4, 5)
LEVEL_OF_LENGTH = {n: level for level, n in CODE_LENGTHS.items()}


def level_of(code: str | None) -> int | None:
    """The level of a well-formed division code (2 digits: 1 … 12 digits: 5), else None."""
    return LEVEL_OF_LENGTH.get(len(code or "")) if code and selectors.is_wellformed_code(code) else None


class RegionPickerWidget(forms.Widget):
    """`root` limits the choice to the places under one code (e.g. the user's county); `levels` are
    the levels the value may have (all five by default). The picker offers no select deeper than the
    deepest allowed level, and a picker left at its root holds the root when the root's level is
    allowed (a county officer's fund source for their own county), else nothing."""

    template_name = "regions/widgets/region_picker.html"

    def __init__(self, attrs=None, *, root: str | None = None, levels=None):
        super().__init__(attrs)
        self.root = root or None
        self.levels_allowed = tuple(sorted(set(levels))) if levels else ALL_LEVELS

    def root_value(self) -> str:
        """What the picker holds when nothing below the root is chosen."""
        return self.root if self.root and level_of(self.root) in self.levels_allowed else ""

    def format_value(self, value):
        code = str(getattr(value, "code", value) or "")
        return code or self.root_value()

    def _selected_path(self, value) -> list[str]:
        """Codes from just below the root down to `value`, if `value` is a code under the root."""
        code = str(getattr(value, "code", value) or "")
        if not selectors.is_wellformed_code(code) or not code.startswith(self.root or ""):
            return []
        codes = [*selectors.ancestor_codes(code), code]
        return [c for c in codes if len(c) > len(self.root or "")]

    def levels(self, value) -> list[dict]:
        first = (level_of(self.root) or 0) + 1
        last = max(self.levels_allowed)
        chosen = self._selected_path(value)
        parent, rows = self.root, []
        for level in range(first, last + 1):
            selected = chosen[level - first] if level - first < len(chosen) else ""
            options = []
            if parent is not None or level == 1:
                options = list(
                    Region.objects.filter(**({"parent_id": parent} if parent else {"parent__isnull": True}))
                    .order_by("code")
                    .values_list("code", "short_name")
                )
            if selected not in {c for c, _name in options}:
                selected = ""
            rows.append(
                {"level": level, "label": Region.Level(level).label, "options": options, "selected": selected}
            )
            parent = selected or None
            if parent is None:
                # Deeper selects start empty; the script fills them once a choice is made.
                for deeper in range(level + 1, last + 1):
                    rows.append(
                        {"level": deeper, "label": Region.Level(deeper).label, "options": [], "selected": ""}
                    )
                break
        return rows

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        root_region = Region.objects.filter(code=self.root).first() if self.root else None
        context["widget"].update(
            levels=self.levels(value),
            root=self.root or "",
            root_value=self.root_value(),
            root_label=" › ".join(r.short_name for r in selectors.path_of(root_region))
            if root_region
            else "",
            allowed=" ".join(str(level) for level in self.levels_allowed),
            api=reverse("api:provinces"),
        )
        return context
