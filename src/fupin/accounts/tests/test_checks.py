from fupin.accounts.checks import check_no_superuser
from fupin.accounts.models import User


def test_it_passes_the_deploy_check_without_superusers(cast):
    """No active superuser, no error."""
    assert check_no_superuser(None) == []


def test_it_fails_the_deploy_check_with_a_superuser(cast):
    """Any active superuser fails `check --deploy`."""
    User.objects.create_superuser("root", password="Root-pass-2024!")
    errors = check_no_superuser(None)
    assert [e.id for e in errors] == ["fupin.E001"]
