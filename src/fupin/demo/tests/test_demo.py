from django.core.management import call_command

from fupin.accounts.models import User
from fupin.core.scoping import scope_of
from fupin.demo.users import DEMO_PASSWORD
from fupin.orgs.models import Unit

# One build of the demo for the module (demo/tests/conftest.py).


def test_it_builds_the_seed_units_and_one_account_per_role(demo):
    """`fupin demo` makes the seeds' organisations on real codes and prints every demo account."""
    assert Unit.objects.filter(
        name="大唐青海能源开发有限公司", assisted_places__region_id="632524203207"
    ).exists()
    assert Unit.objects.get(name="国家能源投资集团有限责任公司").assisted_places.count() == 9
    assert "county_xinghai" in demo.output and DEMO_PASSWORD in demo.output
    roles = set(User.objects.values_list("role_grants__role", flat=True))
    assert len(roles) == 9


def test_it_is_idempotent(demo, capsys):
    """A second run changes nothing and says so."""
    counts = (User.objects.count(), Unit.objects.count())
    call_command("demo")
    assert (User.objects.count(), Unit.objects.count()) == counts
    assert "没有变化" in capsys.readouterr().out


def test_it_gives_demo_accounts_their_places(demo):
    """The county officer of 兴海县 sees 632524; the 大唐 officer sees the three villages it assists."""
    assert scope_of(User.objects.get(username="county_xinghai")).prefixes == ("632524",)
    assert scope_of(User.objects.get(username="unit_datang")).prefixes == (
        "632524100202",
        "632524101206",
        "632524203207",
    )


def test_it_logs_in_with_the_printed_password(demo, client):
    """A demo account signs in through the real login page with the printed password."""
    response = client.post("/accounts/login/", {"username": "cadre_minzu", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
