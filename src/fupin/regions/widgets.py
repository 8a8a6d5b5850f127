"""A cascading division picker: one <select> per level, the deepest choice in a hidden input.

The selects along the current value's path are rendered on the server (so the form shows the
right state on first paint and after a failed submit); picker.js fetches deeper levels from
/api/regions/{code}/children as the user chooses.
"""

from django import forms
from django.urls import reverse

from fupin.regions import selectors
from fupin.regions.models import CODE_LENGTHS, Region


class RegionPickerWidget(forms.Widget):
    """`root` limits the choice to the places under one code (e.g. the user's county)."""

    template_name = "regions/widgets/region_picker.html"

    class Media:
        css = {"all": ["regions/picker.css"]}
        js = ["regions/picker.js"]

    def __init__(self, attrs=None, *, root: str | None = None):
        super().__init__(attrs)
        self.root = root or None

    def _selected_path(self, value) -> list[str]:
        """Codes from just below the root down to `value`, if `value` is a code under the root."""
        code = str(value or "")
        if not selectors.is_wellformed_code(code) or not code.startswith(self.root or ""):
            return []
        codes = [*selectors.ancestor_codes(code), code]
        return [c for c in codes if len(c) > len(self.root or "")]

    def levels(self, value) -> list[dict]:
        first = 1 if not self.root else {n: lv for lv, n in CODE_LENGTHS.items()}[len(self.root)] + 1
        chosen = self._selected_path(value)
        parent, rows = self.root, []
        for level in range(first, 6):
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
            if parent is None and level >= first:
                # Deeper selects start empty; the script fills them once a choice is made.
                for deeper in range(level + 1, 6):
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
            root_label=" › ".join(r.short_name for r in selectors.path_of(root_region))
            if root_region
            else "",
            api=reverse("api:provinces"),
        )
        return context
