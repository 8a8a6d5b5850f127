"""schemathesis over this app's operations with records present (the project-wide run has none):
no server error, and every answer matches the OpenAPI document.

Schema-valid input may still break a rule the schema cannot express (a visit dated tomorrow, a
second pairing of the same cadre and household): those are 422s with a reason, so the
"positive data accepted" check is left out here.
"""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from fupin.accounts.tokens import token_issue
from fupin.tests.test_api_schema import api_schema  # noqa: F401

schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex="^/api/assistance/")


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_it_never_fails_with_records_present(case, world):
    _token, key = token_issue(user=world["county"], name="schemathesis")
    case.call_and_validate(
        headers={"Authorization": f"Bearer {key}"}, excluded_checks=[positive_data_acceptance]
    )
