"""The OpenAPI document tells the truth: each component name stands for one class, each component is
the schema of the class an operation really uses, and every value the document offers is accepted.

A client generated from the document (the way a province's system would talk to fupin) must be able
to add a household member: when registry's and party's `MemberIn` shared a name, the last one won
and the document described party's member for the registry's operation.
"""

from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema

from fupin.accounts.tokens import token_issue
from fupin.api import api, component_name_clashes, operation_models


def test_no_component_name_stands_for_two_classes():
    assert component_name_clashes(api) == {}


def test_each_component_is_the_schema_of_the_class_the_operation_uses(client, db):
    components = client.get("/api/openapi.json").json()["components"]["schemas"]
    wrong = []
    for path, method, model, mode in operation_models(api):
        own = model.model_json_schema(
            ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode=mode
        )
        for name, schema in own.get("$defs", {}).items():
            if components.get(name) != schema:
                wrong.append(f"{method.upper()} {path}: {name}")
    assert wrong == []


def test_each_operation_id_names_one_operation():
    """An app's API split into areas keeps its ids (FupinAPI.get_openapi_operation_id drops the area),
    so two handlers of one name in two areas of an app would share an id."""
    ids = [op["operationId"] for ops in api.get_openapi_schema()["paths"].values() for op in ops.values()]
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []


def test_each_path_is_served_by_one_router():
    """The first router serving a path takes every request to it: a method of the same path on
    another area's router would answer 405."""
    routers: dict[str, list] = {}
    for router in api._get_bound_routers():
        for path in router.path_operations:
            routers.setdefault(router.prefix + path, []).append(router)
    assert [path for path, serving in routers.items() if len(serving) > 1] == []


def test_the_household_member_operation_documents_the_household_member():
    document = api.get_openapi_schema()
    body = document["paths"]["/api/registry/households/{household_id}/members"]["post"]["requestBody"]
    name = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    fields = set(document["components"]["schemas"][name]["properties"])
    assert {"name", "id_number", "relation"} <= fields
    assert "org_id" not in fields and "joined_on" not in fields  # a party member's


def _enum_values(schema: dict, components: dict) -> list | None:
    if "$ref" in schema:
        return _enum_values(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    if "enum" in schema:
        return schema["enum"]
    for key in ("anyOf", "allOf", "oneOf"):
        for option in schema.get(key, []):
            if (values := _enum_values(option, components)) is not None:
                return values
    return None


def _documented_enum_query_values():
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                for value in _enum_values(parameter["schema"], components) or ():
                    yield method, path, parameter["name"], value


DOCUMENTED = list(_documented_enum_query_values())


def test_the_walk_finds_the_enum_query_parameters():
    assert ("get", "/api/projects/projects", "status", "draft") in DOCUMENTED
    assert ("get", "/api/registry/households", "status", "poor") in DOCUMENTED
    assert len(DOCUMENTED) > 50


# The ids an operation's path parameters take (of the world built below), when it has an enum.
PATH_IDS = {"{household_id}": lambda world: world["zhaxi"].pk}
WORLD_LAYERS = ("households",)


def test_every_documented_enum_query_value_is_accepted(client, world):
    """One request per documented value (all in one test: the world is built once)."""
    _token, key = token_issue(user=world["county"], name="contract")
    refused = []
    for method, path, name, value in DOCUMENTED:
        for parameter, make in PATH_IDS.items():
            path = path.replace(parameter, str(make(world)))
        assert "{" not in path, "an enum on an operation with path parameters: give PATH_IDS its id"
        answer = getattr(client, method)(path, {name: value}, headers={"Authorization": f"Bearer {key}"})
        if answer.status_code != 200:
            refused.append(f"{method.upper()} {path}?{name}={value}: {answer.status_code}")
    assert refused == []
