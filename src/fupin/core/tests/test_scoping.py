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


def test_a_scope_of_every_province_keeps_the_rows_that_have_a_division(cast):
    """A national viewer's 31 provinces become one `IS NOT NULL`: the same rows as the prefixes."""
    from fupin.core.scoping import _scope
    from fupin.regions.models import Region

    provinces = sorted(Region.objects.filter(level=Region.Level.PROVINCE).values_list("code", flat=True))
    assert len(provinces) >= 2
    whole, part = _scope(provinces, []), _scope(provinces[1:], [])
    assert whole.whole_country and not part.whole_country
    assert not _scope([*provinces[1:], provinces[0] + "01"], []).whole_country
    assert "IS NOT NULL" in str(Unit.objects.filter(whole.region_q("region")).query)
    every = Region.objects.filter(level=Region.Level.VILLAGE)
    by_prefix = Scope(prefixes=whole.prefixes)
    assert set(every.filter(whole.region_q("code"))) == set(every.filter(by_prefix.region_q("code")))
    assert set(every.filter(part.region_q("code"))) < set(every.filter(whole.region_q("code")))
