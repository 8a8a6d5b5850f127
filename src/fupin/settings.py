"""Settings, read from environment variables (see README, "Configuration").

FUPIN_PRODUCTION=1 turns on the production stance: a real secret key is required, cookies are
secure and `fupin check --deploy` must be clean. Without it the defaults suit the demo and tests.
"""

import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from fupin.env import env_bool, env_int, env_list, env_minutes, env_path, env_str
from fupin.jobs.queue import huey_settings

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = env_path("FUPIN_DATA_DIR", PROJECT_DIR / "var")

PRODUCTION = env_bool("FUPIN_PRODUCTION", False)
DEBUG = env_bool("FUPIN_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("FUPIN_DEBUG cannot be on with FUPIN_PRODUCTION.")

SECRET_KEY = env_str("FUPIN_SECRET_KEY", None)
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("FUPIN_SECRET_KEY is required when FUPIN_PRODUCTION=1.")
    SECRET_KEY = "fupin-development-only-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("FUPIN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("FUPIN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "unfold.apps.BasicAppConfig",  # the basic config: the default one would replace our admin site
    "fupin.apps.FupinAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",  # its Swagger UI files and template, so /api/docs works offline (no CDN)
    "huey.contrib.djhuey",  # the job queue (fupin.jobs): HUEY below, `fupin worker` runs its consumer
    "fupin.core",
    "fupin.regions",
    "fupin.orgs",
    "fupin.accounts",
    "fupin.audit",
    "fupin.registry",
    "fupin.party",
    "fupin.assistance",
    "fupin.projects",
    "fupin.outcomes",
    "fupin.jobs",
    "fupin.monitoring",
    "fupin.supervision",
    "fupin.reports",
    "fupin.documents",
    "fupin.exchange",
    "fupin.demo",
]
# The benchmark harnesses (`fupin bench_…`, docs/benchmarks.md) sit beside the package in a
# checkout's benchmarks/ folder and are never installed: the commands exist where that folder does,
# and never in production.
if not PRODUCTION and (PROJECT_DIR / "benchmarks" / "apps.py").is_file():
    if str(PROJECT_DIR) not in sys.path:
        sys.path.append(str(PROJECT_DIR))
    INSTALLED_APPS.append("benchmarks")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fupin.core.csp.ContentSecurityPolicyMiddleware",  # the CSP header; see CONTENT_SECURITY_POLICY
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fupin.core.language.LanguageMiddleware",  # Chinese unless the user switched (not Accept-Language)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fupin.core.limits.RequestSizeLimitMiddleware",  # 413 before reading an oversized body
    "django_otp.middleware.OTPMiddleware",
    "fupin.accounts.middleware.SessionLimitsMiddleware",
    "fupin.accounts.middleware.TwoFactorRequiredMiddleware",
    "fupin.core.idempotency.IdempotencyMiddleware",  # a phone's form sent twice is written once
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]
# A program's API call (a bearer token under /api/, no session cookie) goes through these only:
# what shapes or guards its answer, none of what serves a browser session (fupin.core.api_handler).
API_TOKEN_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fupin.core.api_handler.TokenAPIPolicyMiddleware",  # core.csp's policy, each header built once
    "fupin.core.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "fupin.accounts.middleware.AnonymousCallerMiddleware",  # in place of the session and its user
    "fupin.core.limits.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "fupin.urls"
WSGI_APPLICATION = "fupin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fupin.core.context_processors.shell",
            ],
        },
    },
]

# --- Database: SQLite by default (a file under FUPIN_DATA_DIR), PostgreSQL via DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", "")
if not DATABASE_URL:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default needs its folder to exist
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'fupin.sqlite3'}"
# Production keeps each worker's connection open between requests: opening a PostgreSQL connection
# per request cost about as much as the request itself. The health check (one round trip at a
# request's first query) reconnects after a database restart instead of failing that request.
conn_max_age = env_int("FUPIN_CONN_MAX_AGE", 600 if PRODUCTION else 0, minimum=0)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=conn_max_age, conn_health_checks=conn_max_age > 0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions avoid "database is locked" upgrades; WAL lets readers run beside a writer.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must be sqlite:// or postgres://.")
else:
    # The planner's price of a random page read against a sequential one: PostgreSQL's default (4)
    # models spinning disks; its documentation advises about 1.1 for solid-state storage, where
    # fupin's databases live. With 4, a county's 超期未走访 at 10 M people hash-joined every
    # pairing of the country (1.6 M rows, 356 ms with the JIT it then called) rather than reach the
    # county's 34,000 households' pairings by their index (93 ms), and the coverage list likewise.
    # Set on fupin's connections; FUPIN_PG_RANDOM_PAGE_COST="" leaves the server's own setting.
    page_cost = env_str("FUPIN_PG_RANDOM_PAGE_COST", "1.1")
    if page_cost:
        try:
            page_cost = f"{float(page_cost):g}"
        except ValueError:
            raise ImproperlyConfigured(f"FUPIN_PG_RANDOM_PAGE_COST={page_cost!r} is not a number.") from None
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c random_page_cost={page_cost}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and login security (等保 2.0): lockout, password policy, session limits, 2FA.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "fupin.accounts.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "fupin.accounts.passwords.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = env_int("FUPIN_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = env_minutes("FUPIN_LOCKOUT_MINUTES", 15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "fupin.accounts.views.locked_out"
AXES_VERBOSE = False
# axes keeps one counter per username, counting failures while the latest one is under
# AXES_COOLOFF_TIME old; the 5th failure locks. A try during the lock does not restart the clock,
# so the lock lifts 15 minutes after it began (as the lockout page says) and an attacker who keeps
# guessing cannot hold a colleague's account locked for ever. Every try is still audited.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Lock the account, not the address: 等保 asks for account lockout, and county offices share one NAT address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

SESSION_IDLE_TIMEOUT = env_minutes("FUPIN_SESSION_IDLE_MINUTES", 30)
SESSION_ABSOLUTE_TIMEOUT = env_minutes("FUPIN_SESSION_ABSOLUTE_MINUTES", 12 * 60)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
OTP_TOTP_ISSUER = "fupin"

# --- Internationalisation: Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files: served by the app itself (WhiteNoise); no CDN, the machines are offline.
STATIC_URL = "/static/"
STATIC_ROOT = env_path("FUPIN_STATIC_ROOT", DATA_DIR / "static")
WHITENOISE_USE_FINDERS = not PRODUCTION  # demo and tests serve straight from the apps, no collectstatic
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at every start when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "media"
# A body that is not a file (forms, API JSON) and the non-file fields of an upload; files are held to
# FUPIN_IMPORT_MAX_BYTES / FUPIN_PHOTO_MAX_BYTES (see fupin.core.limits for which limit covers what).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("FUPIN_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)

# --- Registry imports: whole-file limits (checked before a row is read) and where jobs run.
FUPIN_IMPORT_MAX_BYTES = env_int("FUPIN_IMPORT_MAX_BYTES", 200 * 1024 * 1024, minimum=1024)
FUPIN_IMPORT_MAX_UNCOMPRESSED = env_int("FUPIN_IMPORT_MAX_UNCOMPRESSED", 4 * 1024**3, minimum=1024)

# --- Background jobs (fupin.jobs): a huey queue. FUPIN_QUEUE empty is a SQLite file beside the
# database (DATA_DIR/queue.sqlite3); redis://… is Redis (several servers); see fupin.jobs.queue.
FUPIN_QUEUE = env_str("FUPIN_QUEUE", "")
HUEY = huey_settings(FUPIN_QUEUE, DATA_DIR, workers=env_int("FUPIN_QUEUE_WORKERS", 2, minimum=1))
# The files jobs generate (forms, card batches, reports) are kept under MEDIA_ROOT/jobs/ (never served
# as static files: only the job's owner downloads them, audited) for this many days, then removed.
FUPIN_JOB_FILE_DAYS = env_int("FUPIN_JOB_FILE_DAYS", 7, minimum=1)

# --- Field work: households not visited for this many days are flagged to their cadre and
# township; the size limit of one photo (visits, meetings).
FUPIN_VISIT_INTERVAL_DAYS = env_int("FUPIN_VISIT_INTERVAL_DAYS", 30, minimum=1)
FUPIN_PHOTO_MAX_BYTES = env_int("FUPIN_PHOTO_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
# The public self-report (/monitoring/report/): repeats limited per ID number and per client address,
# without a captcha service. Behind a TLS proxy name the header that carries the client's address
# (e.g. X-Forwarded-For; its last entry is used), or every visitor shares the proxy's one limit.
FUPIN_SELF_REPORT_PER_ID_PER_DAY = env_int("FUPIN_SELF_REPORT_PER_ID_PER_DAY", 3, minimum=1)
FUPIN_SELF_REPORT_PER_IP_PER_HOUR = env_int("FUPIN_SELF_REPORT_PER_IP_PER_HOUR", 10, minimum=1)
FUPIN_CLIENT_IP_HEADER = env_str("FUPIN_CLIENT_IP_HEADER", "")

# --- How long a user's 待办 lines are kept before they are counted again (core.todo; 0: never kept).
FUPIN_TODO_CACHE_SECONDS = env_int("FUPIN_TODO_CACHE_SECONDS", 60, minimum=0)

# --- Audit trail retention (days); the retention job refuses anything under 183.
AUDIT_RETENTION_DAYS = env_int("FUPIN_AUDIT_RETENTION_DAYS", 365, minimum=183)

# --- Production stance.
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("FUPIN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("FUPIN_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # `fupin serve` runs several worker processes, which must share the cache (what one worker
    # caches, another must see). A folder on the server's disk needs no other service (one server;
    # several servers would need a shared cache such as Redis).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(env_path("FUPIN_CACHE_DIR", DATA_DIR / "cache")),
        }
    }
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy (django-csp): scripts, styles, images and fetches from the app itself
# only; no plug-ins, never framed, forms post only to the app. fupin.core.csp widens script-src and
# style-src for the back office (unfold runs Alpine.js) and style-src for the 500 page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True

UNFOLD = {
    "SITE_TITLE": _("党建引领帮扶管理平台"),
    "SITE_HEADER": _("党建引领帮扶管理平台 · 后台"),
    "SITE_SYMBOL": "flag",
    "SHOW_LANGUAGES": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "fupin.core.masking.MaskingLogFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]},
    },
    "root": {"handlers": ["console"], "level": env_str("FUPIN_LOG_LEVEL", "WARNING")},
}
