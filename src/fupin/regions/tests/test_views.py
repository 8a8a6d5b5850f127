import pytest
from django.urls import reverse

from fupin.regions.forms import RegionField
from fupin.regions.widgets import RegionPickerWidget


@pytest.mark.django_db
def test_it_renders_one_select_per_level_with_the_path_chosen(cast):
    """The picker renders five level selects, preselects the value's path and holds it in a hidden input."""
    html = RegionPickerWidget().render("region", "632524203")
    assert 'class="region-picker"' in html
    for level in range(1, 6):
        assert f'data-level="{level}"' in html
    assert '<option value="632524203" selected>' in html
    assert 'type="hidden" name="region" value="632524203"' in html


@pytest.mark.django_db
def test_it_starts_the_picker_under_a_root(cast):
    """With a root the picker offers only the places under it, from the next level down."""
    html = RegionPickerWidget(root="632524").render("region", "")
    assert 'data-level="3"' not in html
    assert '<option value="632524203">唐乃亥乡</option>' in html
    assert "620821" not in html


@pytest.mark.django_db
def test_it_rejects_a_choice_outside_the_root(cast):
    """The field cleans to a Region and refuses codes outside its root."""
    field = RegionField(root="632524")
    assert field.clean("632524203207").short_name == "民族村"
    with pytest.raises(Exception, match="不在允许的范围内"):
        field.clean("620821")


def test_it_shows_the_county_officer_their_county_by_default(client, cast):
    """The browse page opens on the user's county: details and its townships with village counts."""
    client.force_login(cast["county"])
    response = client.get(reverse("regions:browse"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "青海省" in html and "兴海县" in html and "唐乃亥乡" in html
    assert 'class="region-picker"' in html and "regions/picker.js" in html


def test_it_browses_any_region_and_the_whole_country(client, cast):
    """?region= picks a region (a village has no children); an empty choice lists the provinces."""
    client.force_login(cast["county"])
    html = client.get(reverse("regions:browse"), {"region": "620821100206"}).content.decode()
    assert "凤凰村村民委员会" in html
    html = client.get(reverse("regions:browse"), {"region": ""}).content.decode()
    assert "甘肃省" in html and "青海省" in html
    assert client.get(reverse("regions:browse"), {"region": "99"}).status_code == 200


def test_it_sends_anonymous_visitors_to_login(client, cast):
    """The browse page needs a signed-in user."""
    assert client.get(reverse("regions:browse")).status_code == 302
