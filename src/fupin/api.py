"""The REST API under /api/: one NinjaAPI, routers from each app, errors as JSON with a reason.

Programs use `Authorization: Bearer <token>`; the browser uses its session (with CSRF).
The OpenAPI document is at /api/openapi.json.
"""

import logging
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import REF_TEMPLATE
from ninja.renderers import JSONRenderer
from ninja.schema import NinjaGenerateJsonSchema
from ninja.security import HttpBearer, SessionAuth

from fupin.accounts.api import router as accounts_router
from fupin.accounts.tokens import authenticate_token
from fupin.apitypes import describe_errors
from fupin.assistance.api import router as assistance_router
from fupin.audit.services import audit_denied
from fupin.documents.api import router as documents_router
from fupin.exchange.api import router as exchange_router
from fupin.jobs.api import router as jobs_router
from fupin.monitoring.api import router as monitoring_router
from fupin.orgs.api import router as orgs_router
from fupin.outcomes.api import router as outcomes_router
from fupin.party.api import router as party_router
from fupin.projects.api import router as projects_router
from fupin.regions.api import router as regions_router
from fupin.registry.api import router as registry_router
from fupin.reports.api import router as reports_router
from fupin.supervision.api import router as supervision_router

logger = logging.getLogger("django")  # ninja's logger for an unexpected Authorization header


class BearerToken(HttpBearer):
    def __call__(self, request):
        """ninja's HttpBearer.__call__, reading the one header from request.META: its
        `request.headers` builds a mapping of every header of the request first (11 µs of CPU per
        API call); nothing else on a token call's path reads it."""
        auth_value = request.META.get("HTTP_AUTHORIZATION")
        if not auth_value:
            return None
        parts = auth_value.split(" ")
        if parts[0].lower() != self.openapi_scheme:
            if settings.DEBUG:
                logger.error(f"Unexpected auth - '{auth_value}'")
            return None
        return self.authenticate(request, " ".join(parts[1:]))

    def authenticate(self, request, token):
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


class ReadableJSON(JSONRenderer):
    """Chinese stays Chinese in the JSON (smaller, and readable in a county office's tools)."""

    json_dumps_params = {"ensure_ascii": False}


class FupinAPI(NinjaAPI):
    """Documents the JSON error answers every operation can give, so clients (and the schema
    conformance tests) know a 401/403/404/422 carries `{"detail": reason}`."""

    ERRORS = {
        "400": "请求体无法解析",
        "401": "未登录或令牌无效",
        "403": "没有权限",
        "404": "未找到",
        "422": "请求参数有误",
    }

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = {
            "type": "object",
            "properties": {"detail": {"type": "string"}, "errors": {"type": "array", "items": {}}},
            "required": ["detail"],
        }
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                # ninja keys responses by int; JSON keys are strings, so an int 422 next to our
                # "422" would be written twice (a duplicate key Swagger UI refuses to parse).
                operation["responses"] = {str(k): v for k, v in operation["responses"].items()}
                for status, text in self.ERRORS.items():
                    operation["responses"].setdefault(status, {"description": text, "content": error})
        return schema

    def get_openapi_operation_id(self, operation) -> str:
        # ninja's id is the function's module and name; an app's API split into a package of areas
        # (fupin.party.api.orgs) is named as the one module it was (fupin_party_api_get_org), so
        # a split changes no client's generated names. Handler names are unique within an app.
        module = re.sub(r"^(fupin\.\w+\.api)\..+$", r"\1", operation.view_func.__module__)
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")


api = FupinAPI(
    title="fupin API",
    version="1",
    description="党建引领帮扶管理平台接口。程序使用 Bearer 令牌,浏览器使用登录会话。",
    auth=[BearerToken(), SessionAuth()],
    renderer=ReadableJSON(),
    urls_namespace="api",
)


def _error(request, status: int, reason: str, **extra):
    return api.create_response(request, {"detail": reason, **extra}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    reason = describe_errors(exc.errors)
    # Only plain fields: a validator's ctx may hold exception objects that JSON cannot carry.
    errors = [
        {"loc": list(e.get("loc", ())), "type": e.get("type", ""), "msg": e.get("msg", "")}
        for e in exc.errors
    ]
    return _error(request, 422, _("请求参数有误:%(reason)s") % {"reason": reason}, errors=errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, 401, _("未登录或令牌无效。"))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    audit_denied(request, str(exc))
    return _error(request, 403, str(exc) or _("没有权限。"))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, _("未找到。"))


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if exc.status_code == 400:  # ninja's own "Cannot parse request body"
        return _error(request, 400, _("请求体无法解析,请发送有效的 JSON。"))
    return _error(request, exc.status_code, str(exc))


def operation_models(api: NinjaAPI):
    """Every (path, method, pydantic model, mode) the document is built from: each operation's
    parameter and body models (validation) and its response models (serialization)."""
    for router in api._get_bound_routers():
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if not operation.include_in_schema:
                    continue
                for method in operation.methods:
                    where = (router.prefix + path, method.lower())
                    for model in operation.models:
                        yield *where, model, "validation"
                    for model in operation.response_models.values():
                        if hasattr(model, "model_json_schema"):
                            yield *where, model, "serialization"


def component_name_clashes(api: NinjaAPI) -> dict[str, set[str]]:
    """Component names that stand for more than one Python class, e.g. `MemberIn` → {registry's,
    party's}. ninja files every operation's schemas under their class's bare name, so the last
    class wins and clients generated from the document get the wrong shape; this walks every
    operation and names each clash, and tests/test_api_schema.py keeps the answer empty."""
    classes: dict[str, set[str]] = {}

    class Recorder(NinjaGenerateJsonSchema):
        seen: dict[str, set[str]]

        def get_defs_ref(self, core_mode_ref):
            ref = super().get_defs_ref(core_mode_ref)
            bare = self._prioritized_defsref_choices[ref][0]  # the name pydantic prefers
            # core refs are "module.QualName:id"; the id is per process, the rest names the class.
            self.seen.setdefault(bare, set()).add(re.sub(r":\d+", "", core_mode_ref[0]))
            return ref

    for _path, _method, model, mode in operation_models(api):
        Recorder.seen = {}
        schema = model.model_json_schema(ref_template=REF_TEMPLATE, schema_generator=Recorder, mode=mode)
        for name in schema.get("$defs", {}):
            owners = Recorder.seen.get(name)
            if owners is None:  # pydantic had to qualify it: two classes of that name in one schema
                owners = {name, "(another class of the same name)"}
            classes.setdefault(name, set()).update(owners)
    return {name: owners for name, owners in classes.items() if len(owners) > 1}


api.add_router("/regions", regions_router)
api.add_router("/orgs", orgs_router)
api.add_router("/accounts", accounts_router)
api.add_router("/registry", registry_router)
api.add_router("/party", party_router)
api.add_router("/assistance", assistance_router)
api.add_router("/projects", projects_router)
api.add_router("/outcomes", outcomes_router)
api.add_router("/jobs", jobs_router)
api.add_router("/monitoring", monitoring_router)
api.add_router("/supervision", supervision_router)
api.add_router("/reports", reports_router)
api.add_router("/exchange", exchange_router)
api.add_router("/documents", documents_router)
