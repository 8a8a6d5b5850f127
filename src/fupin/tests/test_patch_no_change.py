"""A PATCH that changes nothing (only `version`, or every field as stored) returns the record
unchanged with the same version, on every PATCH operation of the API: a client that re-sends a
form must not make everybody else's copy stale."""

import pytest

from fupin.accounts.tokens import token_issue
from fupin.api import api

# The fixture and the world of the scope matrix: 兴海县's records of every app, built once here too.
from fupin.tests.test_scope_matrix import API, WORLD_LAYERS, objs  # noqa: F401


def _patch_operations():
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    for path, operations in document["paths"].items():
        patch = operations.get("patch")
        if patch is None:
            continue
        schema = patch["requestBody"]["content"]["application/json"]["schema"]
        if "$ref" in schema:
            schema = components[schema["$ref"].rsplit("/", 1)[-1]]
        if "version" in schema.get("properties", {}):
            yield path


PATCHES = sorted(_patch_operations())


def test_the_walk_finds_the_patch_operations():
    assert "/api/registry/members/{member_id}" in PATCHES
    assert "/api/outcomes/placements/{placement_id}" in PATCHES
    assert len(PATCHES) >= 10


def _draft_project(world) -> str:
    from fupin.projects.tests.factories import make_project

    return f"/api/projects/projects/{make_project().pk}"  # only a draft may be edited


URLS = {"/api/projects/projects/{project_id}": _draft_project}
# Who may edit: the county officer, except a unit's own 责任书 targets.
EDITORS = {"/api/outcomes/targets/{target_id}": "unitofficer"}


@pytest.mark.parametrize("path", PATCHES)
def test_a_patch_of_only_the_version_changes_nothing(client, objs, path):  # noqa: F811
    url = URLS.get(path, API[path][0])(objs)
    _token, key = token_issue(user=objs[EDITORS.get(path, "county")], name="patch")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def send(version):
        return client.patch(url, {"version": version}, content_type="application/json", **auth)

    # The stored version: the first one not refused as stale (the world's records are fresh).
    for version in range(1, 6):
        first = send(version)
        if first.status_code != 409:
            break
    assert first.status_code == 200, first.content
    if "version" in first.json():
        assert first.json()["version"] == version
    again = send(version)  # still current: nothing was written
    assert again.status_code == 200, again.content
