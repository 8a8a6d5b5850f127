from fupin.core.scoping import Scope, _minimal_prefixes, scope_of
from fupin.orgs.models import Unit


def test_it_drops_prefixes_covered_by_shorter_ones():
    assert _minimal_prefixes(["632524", "63", "620821", "632524203207"]) == ("620821", "63")


def test_it_covers_codes_under_a_prefix():
    scope = Scope(prefixes=("632524",))
    assert scope.covers_code("632524203207")
    assert not scope.covers_code("620821100206")
    assert not scope.covers_code("")


def test_it_gives_the_county_officer_their_county(cast):
    assert scope_of(cast["county"]).prefixes == ("632524",)


def test_it_gives_administrators_no_data_scope(cast):
    assert scope_of(cast["sysadmin"]).is_empty


def test_it_gives_a_unit_officer_the_places_their_unit_assists(cast):
    scope = scope_of(cast["unitofficer"])
    assert scope.prefixes == ("632524",)
    assert scope.unit_ids == (cast["datang"].id,)


def test_it_hides_units_from_the_outsider(cast):
    visible = set(Unit.objects.visible_to(cast["outsider"]).values_list("name", flat=True))
    assert visible == {"泾川县人民政府"}


def test_it_shows_a_county_officer_the_units_assisting_the_county(cast):
    visible = set(Unit.objects.visible_to(cast["county"]).values_list("name", flat=True))
    assert visible == {"大唐青海能源开发有限公司"}
