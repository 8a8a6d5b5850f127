"""Deploy checks (`fupin check --deploy`) for what a production server cannot start without.

Each of these, left unchecked, passes `check --deploy` and then fails in front of users:
- the production stance itself (FUPIN_PRODUCTION=1): without it the secret key, the field keys and
  the static files all silently fall back to the demo's;
- the field-encryption keys: FUPIN_FIELD_KEYS and FUPIN_BLIND_INDEX_KEY are read at the first
  encryption or look-up, so a missing or malformed key is an error on the first household saved;
- the collected static files: the manifest storage answers every page that names a static file not
  in its manifest with a 500 ("Missing staticfiles manifest entry"), so a server started without
  `collectstatic`, or after an upgrade that added a file, serves no page at all;
- the PDF renderer: WeasyPrint loads pango when the first 明白卡 is printed, so a server without
  Debian's pango answers that first print with a 500.
"""

import json
import os

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

from fupin.core.crypto import _decode_key

FIELD_KEYS = "FUPIN_FIELD_KEYS"
INDEX_KEY = "FUPIN_BLIND_INDEX_KEY"
KEY_HINT = 'Generate one with: python -c "import base64,os; print(base64.b64encode(os.urandom(32)).decode())"'
# Files named in an error message: enough to recognise the problem, not the whole tree.
_SHOWN = 5


@register(Tags.security, deploy=True)
def check_production_stance(app_configs, **kwargs):
    if settings.PRODUCTION:
        return []
    return [
        Error(
            "FUPIN_PRODUCTION is not 1: the development secret key, field keys derived from it and "
            "static files served from the apps are in use.",
            hint="Set FUPIN_PRODUCTION=1 (with FUPIN_SECRET_KEY, FUPIN_FIELD_KEYS and "
            "FUPIN_BLIND_INDEX_KEY) on a production server.",
            id="fupin.E010",
        )
    ]


def _key_errors(name: str, raw: str, *, several: bool, missing_id: str, bad_id: str) -> tuple[list, list]:
    """(errors, decoded keys) for one key variable."""
    if not raw.strip():
        return [
            Error(
                f"{name} is not set: personal data cannot be encrypted or looked up "
                "(the first household saved fails).",
                hint=KEY_HINT,
                id=missing_id,
            )
        ], []
    parts = [part.strip() for part in raw.split(",") if part.strip()] if several else [raw.strip()]
    keys, errors = [], []
    for position, part in enumerate(parts, start=1):
        try:
            keys.append(_decode_key(name, part))
        except ImproperlyConfigured as exc:
            where = f" (key {position})" if several else ""
            errors.append(Error(f"{exc}{where}", hint=KEY_HINT, id=bad_id))
    return errors, keys


@register(Tags.security, deploy=True)
def check_field_keys(app_configs, **kwargs):
    """The keys are read from the environment as core.crypto reads them, and decoded the same way."""
    field_errors, field_keys = _key_errors(
        FIELD_KEYS, os.environ.get(FIELD_KEYS, ""), several=True, missing_id="fupin.E011", bad_id="fupin.E012"
    )
    index_errors, index_keys = _key_errors(
        INDEX_KEY, os.environ.get(INDEX_KEY, ""), several=False, missing_id="fupin.E013", bad_id="fupin.E014"
    )
    errors = field_errors + index_errors
    if index_keys and index_keys[0] in field_keys:
        # One key for both AES-GCM and the HMAC index ties the two together: a leaked index key
        # would then also decrypt, which is what keeping them apart prevents.
        errors.append(
            Error(
                f"{INDEX_KEY} is also one of {FIELD_KEYS}.",
                hint="Use a separate random key for the blind index.",
                id="fupin.E015",
            )
        )
    return errors


def static_files_problem() -> Error | None:
    """What keeps the static files from being served, or None.

    Only the manifest storage (production) needs `collectstatic`; the demo serves from the apps."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return None
    content = storage.read_manifest()
    if content is None:
        return Error(
            f"Static files are not collected: no {storage.manifest_name} in STATIC_ROOT "
            f"({settings.STATIC_ROOT}); every page would answer 500.",
            hint="Run `fupin collectstatic --noinput` (`fupin serve` does it when needed).",
            id="fupin.E020",
        )
    try:
        collected = set(json.loads(content).get("paths", {}))
    except (ValueError, AttributeError):
        collected = set()
    missing = sorted(set(found_static_paths()) - collected)
    if not missing:
        return None
    return Error(
        f"{len(missing)} static files are not collected (e.g. {', '.join(missing[:_SHOWN])}): "
        "the pages naming them would answer 500.",
        hint="Run `fupin collectstatic --noinput` again after every upgrade.",
        id="fupin.E021",
    )


def found_static_paths() -> list[str]:
    """Every file `collectstatic` would copy, by the path it gets under STATIC_ROOT."""
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    paths = []
    for finder in get_finders():
        for path, source in finder.list(ignore):
            prefix = getattr(source, "prefix", None)
            paths.append((f"{prefix}/{path}" if prefix else path).replace(os.sep, "/"))
    return paths


@register(Tags.staticfiles, deploy=True)
def check_static_collected(app_configs, **kwargs):
    problem = static_files_problem()
    return [problem] if problem else []


@register(deploy=True)
def check_pdf_renderer(app_configs, **kwargs):
    """WeasyPrint imports (its pango and fontconfig libraries load) — what printing a card needs."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return [
            Error(
                f"The PDF renderer (WeasyPrint) cannot load: {exc}. 明白卡 and 一户一档 would fail.",
                hint="Install pango and the CJK fonts: scripts/system-packages --runtime "
                "(Debian: libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk).",
                id="fupin.E030",
            )
        ]
    return []
