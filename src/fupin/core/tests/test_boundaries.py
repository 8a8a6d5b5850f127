"""The app boundary: no app reads another app's tables except through its selectors or services.

An app may import its own models, `regions.models` (national reference data) and anything of `core`;
the user model is reached through `get_user_model()` or `accounts.selectors`. Exempt: migrations
(they use the historical models), tests and `fupin.testing` (they build worlds), and `demo` (it builds
the demo world for every app). The rule is written in docs/architecture.md.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]  # src/fupin
SHARED = {"core", "regions"}
EXEMPT_DIRS = {"migrations", "tests", "browser_tests", "demo"}
EXEMPT_FILES = {"testing.py", "conftest.py"}


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if EXEMPT_DIRS.intersection(parts) or parts[-1] in EXEMPT_FILES or parts[-1].startswith("test_"):
            continue
        yield path, parts


def _module(parts) -> list[str]:
    """`fupin.x.y` as a list, for resolving relative imports."""
    names = ["fupin", *parts[:-1]]
    if parts[-1] != "__init__.py":
        names.append(parts[-1].removesuffix(".py"))
    return names


def _imported_models(tree, module, is_package):
    """Yield (line, app) for each `fupin.<app>.models` the module imports, however it is spelled."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names = alias.name.split(".")
                if len(names) >= 3 and names[0] == "fupin" and names[2] == "models":
                    yield node.lineno, names[1]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module if is_package else module[:-1]
                base = base[: len(base) - (node.level - 1)]
                names = base + (node.module.split(".") if node.module else [])
            else:
                names = (node.module or "").split(".")
            if names[0] != "fupin" or len(names) < 2:
                continue
            if len(names) >= 3 and names[2] == "models":
                yield node.lineno, names[1]
            elif len(names) == 2 and any(alias.name == "models" for alias in node.names):
                yield node.lineno, names[1]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "get_model"
        ):
            # apps.get_model("orgs", "Unit") / apps.get_model("orgs.Unit") would be the same reach by string.
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield node.lineno, first.value.split(".")[0]


def _violations():
    found = []
    for path, parts in _sources():
        own = parts[0] if len(parts) > 1 else None  # top-level modules (api.py, urls.py …) own no tables
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, app in _imported_models(tree, _module(parts), parts[-1] == "__init__.py"):
            if app != own and app not in SHARED:
                found.append(f"{Path(*parts)}:{line} imports fupin.{app}.models")
    return found


def test_it_finds_a_cross_app_import_however_spelled():
    """The checker itself: absolute, `from … import models`, relative and get_model spellings are caught."""
    source = (
        "from fupin.orgs.models import Unit\n"
        "import fupin.registry.models\n"
        "from fupin.accounts import models\n"
        "from ..party.models import PartyOrg\n"
        "from . import models\n"
        "apps.get_model('projects', 'Project')\n"
        "from fupin.regions.models import Region\n"
    )
    module = ["fupin", "assistance", "views"]
    found = sorted(_imported_models(ast.parse(source), module, is_package=False))
    assert found == [
        (1, "orgs"),
        (2, "registry"),
        (3, "accounts"),
        (4, "party"),
        (5, "assistance"),
        (6, "projects"),
        (7, "regions"),
    ]


def test_it_keeps_every_app_out_of_other_apps_models():
    """No module of app A imports `fupin.B.models` for B other than A, regions or core."""
    violations = _violations()
    assert not violations, "read through the owner's selectors or services:\n" + "\n".join(violations)
