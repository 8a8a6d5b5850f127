from ninja import Router, Schema

from fupin.core.scoping import scope_of

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[str]
    prefixes: list[str]
    unit_ids: list[int]


@router.get("/me", response=MeOut, summary="当前用户及其数据范围")
def me(request):
    user = request.auth if hasattr(request.auth, "pk") else request.user
    scope = scope_of(user)
    return MeOut(
        username=user.username,
        full_name=user.full_name,
        roles=sorted(user.roles),
        prefixes=list(scope.prefixes),
        unit_ids=list(scope.unit_ids),
    )
