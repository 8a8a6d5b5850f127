"""The picker's value rules: a picker left at its root holds the root when the field allows the
root's level, and the field refuses a division of a level it does not allow."""

import pytest
from django import forms
from django.template import Context, Template

from fupin.regions.forms import RegionField
from fupin.regions.widgets import RegionPickerWidget

pytestmark = pytest.mark.django_db


class SourceForm(forms.Form):
    """Like a fund source: any level under the user's county."""

    def __init__(self, *args, root, levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionField(label="区划", root=root, levels=levels)


def test_a_picker_left_at_an_allowed_root_holds_the_root(cast):
    """A county officer who chooses nothing below their county submits the county itself."""
    html = SourceForm(root="632524").as_p()
    assert 'type="hidden" name="region" value="632524"' in html
    assert 'data-root-value="632524"' in html
    form = SourceForm({"region": "632524"}, root="632524")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["region"].code == "632524"


def test_a_picker_at_a_root_the_field_does_not_allow_holds_nothing(cast):
    """A household's village must be a village: the county root is no answer, and a township is refused."""
    html = SourceForm(root="632524", levels=(5,)).as_p()
    assert 'type="hidden" name="region" value=""' in html
    assert 'data-root-value=""' in html
    assert not SourceForm({"region": ""}, root="632524", levels=(5,)).is_valid()
    form = SourceForm({"region": "632524203"}, root="632524", levels=(5,))
    assert not form.is_valid()
    assert "村级" in str(form.errors["region"])
    form = SourceForm({"region": "632524203207"}, root="632524", levels=(5,))
    assert form.is_valid() and form.cleaned_data["region"].code == "632524203207"


def test_the_picker_offers_no_level_deeper_than_the_field_allows(cast):
    """A field for townships at most shows no village select."""
    html = RegionPickerWidget(root="632524", levels=(3, 4)).render("region", "")
    assert 'data-level="4"' in html and 'data-level="5"' not in html
    assert 'value="632524"' in html


def test_an_explicit_choice_wins_over_the_root(cast):
    """A chosen village is the value, with its township preselected."""
    html = RegionPickerWidget(root="632524").render("region", "632524203207")
    assert 'type="hidden" name="region" value="632524203207"' in html
    assert '<option value="632524203" selected>' in html


def test_the_field_stays_backward_compatible(cast):
    """Without root or levels, any division is valid and an empty optional value is None."""
    field = RegionField(required=False)
    assert field.clean("") is None
    assert field.clean("63").code == "63"
    assert field.clean("632524203207").code == "632524203207"
    assert 'value=""' in RegionPickerWidget().render("region", None)


def test_no_template_renders_form_media(cast):
    """Scripts are loaded once, by the base layout: the picker has no media for a template to place."""
    assert str(SourceForm(root="632524").media) == ""
    html = Template("{% extends 'base.html' %}").render(Context({}))
    assert "regions/picker.js" in html and "defer" in html
