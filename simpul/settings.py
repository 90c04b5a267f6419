"""Simpul settings. Everything that differs between machines comes from the environment.

The embedded default (no environment at all) runs on SQLite under ./var/ with a secret key that is
generated on first start and kept in ./var/secret_key, so a fresh clone needs nothing but pip.
Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and SIMPUL_HTTPS=1 (see docs/deployment.md).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ya"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SIMPUL_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _embedded_secret_key() -> str:
    """Generate the secret once and keep it beside the embedded database, readable by the owner only."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _embedded_secret_key()
DEBUG = env_bool("SIMPUL_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A refused CSRF check answers with Simpul's "form has expired" page (JSON under /api/).
CSRF_FAILURE_VIEW = "simpul.core.views.errors.csrf_failure"
# Behind a reverse proxy that sets X-Forwarded-For itself, its first address is the client's (logs, audit
# trail, sign-in lockout). Off by default: without such a proxy a client could forge its address.
SIMPUL_TRUST_X_FORWARDED_FOR = env_bool("SIMPUL_TRUST_X_FORWARDED_FOR", False)

SIMPUL_HTTPS = env_bool("SIMPUL_HTTPS", False)
if SIMPUL_HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SIMPUL_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SIMPUL_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts only from Simpul's own static files: no inline script, no eval (htmx runs with allowEval off).
# Inline styles stay allowed: progress bars and chart legends set their width and colour per record, and
# Swagger UI and Redoc style themselves at run time. Redoc's search runs in a worker made from a blob.
SIMPUL_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SIMPUL_SESSION_SECONDS", 8 * 3600))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "simpul.core",
    "simpul.organizations",
    "simpul.architecture",
    "simpul.evaluation",
    "simpul.roadmap",
    "simpul.governance",
    "simpul.servicedesk",
    "simpul.dashboard",
    "simpul.accounts",
    "simpul.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "simpul.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "simpul.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "simpul.core.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "simpul.urls"
WSGI_APPLICATION = "simpul.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "simpul.core.context_processors.navigation",
                "simpul.core.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'simpul.sqlite3'}"),
        conn_max_age=int(os.environ.get("SIMPUL_DB_CONN_MAX_AGE", 60)),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE makes a writing transaction take the
    # write lock at BEGIN, so two writers queue instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------------
AUTH_USER_MODEL = "organizations.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 (OWASP's minimum parameters, simpul/accounts/hashers.py): about 35 ms of one core per sign-in
# instead of PBKDF2's second, so a burst of sign-ins cannot occupy a small server. Older PBKDF2 hashes
# still verify and are re-hashed with Argon2 at the next sign-in.
PASSWORD_HASHERS = [
    "simpul.accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = int(os.environ.get("SIMPUL_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIMPUL_LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "simpul.core.middleware.client_ip"
OTP_TOTP_ISSUER = os.environ.get("SIMPUL_OTP_ISSUER", "Simpul SPBE")

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "simpul" / "locale"]
TIME_ZONE = os.environ.get("SIMPUL_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# The one date and date-time format of every page (7 Des 2026, 7 Des 2026 14.05): simpul/core/formats.
FORMAT_MODULE_PATH = ["simpul.core.formats"]
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Files ----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SIMPUL_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)


def _xstatic_dir(module: str) -> str:
    import importlib

    return importlib.import_module(module).BASE_DIR


STATICFILES_DIRS = [("vendor/bootstrap", _xstatic_dir("xstatic.pkg.bootstrap"))]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("SIMPUL_MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files are never served by URL prefix: only authorised views stream them.
MEDIA_URL = "/media-not-public/"
SIMPUL_UPLOAD_MAX_BYTES = int(os.environ.get("SIMPUL_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
# Imports with more rows than this run in the background (simpul worker) with a progress page.
SIMPUL_IMPORT_SYNC_MAX_ROWS = int(os.environ.get("SIMPUL_IMPORT_SYNC_MAX_ROWS", 500))
# Limits of one import file, checked before and while it is read (simpul/core/importexport.py): rows
# below the header (blank ones included), what an XLSX may unpack to, and the compression ratio of any
# part of it larger than 1 MiB (spreadsheets pack 5-20 times; a zip bomb about 1000 times).
SIMPUL_IMPORT_MAX_ROWS = int(os.environ.get("SIMPUL_IMPORT_MAX_ROWS", 50_000))
SIMPUL_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("SIMPUL_IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024))
SIMPUL_IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("SIMPUL_IMPORT_MAX_COMPRESSION_RATIO", 100))
# Impact analysis walks an instansi with at least this many dependency relationships over a copy of its
# graph held in memory (per process, at most SIMPUL_IMPACT_MEMORY_GRAPHS of them, ~25 MB per 300,000
# relationships); smaller instansi are walked in the database. 0 graphs: always the database.
SIMPUL_IMPACT_MEMORY_MIN_RELATIONSHIPS = int(os.environ.get("SIMPUL_IMPACT_MEMORY_MIN_RELATIONSHIPS", 20_000))
SIMPUL_IMPACT_MEMORY_GRAPHS = int(os.environ.get("SIMPUL_IMPACT_MEMORY_GRAPHS", 4))

# --- Cache ----------------------------------------------------------------------------------------
# Shared by every process: background imports report their progress here (the import's own database
# transaction is still open then, see simpul/core/importjobs.py), and the API rate limits count here.
# A directory under var/ serves every process on one machine; with web and worker processes on several
# machines set SIMPUL_CACHE_URL=redis://… (pip install redis). Not Django's database cache: progress
# written through the import's own connection would stay invisible until the import ends.
if os.environ.get("SIMPUL_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["SIMPUL_CACHE_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- E-mail ---------------------------------------------------------------------------------------
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    # Without a mail server nothing is lost: messages are written as files an admin can read.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "simpul@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address of the site as users reach it (e.g. https://simpul.example.go.id), put in front of the
# links of notification e-mails; without it they carry the bare path.
SIMPUL_BASE_URL = os.environ.get("SIMPUL_BASE_URL", "")

# --- Background jobs ------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("SIMPUL_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    # For deployments that outgrow the database queue (pip install django-tasks-rq; see docs/operations.md).
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        queue: {"URL": os.environ.get("SIMPUL_REDIS_URL", "redis://127.0.0.1:6379/0")}
        for queue in TASKS["default"]["QUEUES"]
    }
# The one declared schedule of periodic jobs: task path -> interval in seconds.
SIMPUL_SCHEDULE = {
    "simpul.ops.tasks.prune_finished_tasks": 24 * 3600,
    "simpul.ops.tasks.verify_audit_chain": 24 * 3600,
    # Reminds the PIC OPDs of self-assessments due within 3 days or overdue (once per day each).
    "simpul.evaluation.tasks.send_deadline_reminders": 24 * 3600,
    # Reminds OPDs of yearly roadmap progress reports once due (from 1 December) and once late.
    "simpul.roadmap.tasks.send_report_reminders": 24 * 3600,
    # Reminds owner OPDs of follow-up actions due within 3 days or late (once per day each).
    "simpul.governance.tasks.send_follow_up_reminders": 24 * 3600,
}
SIMPUL_TASK_RESULT_DAYS = int(os.environ.get("SIMPUL_TASK_RESULT_DAYS", 30))
# Who is e-mailed when a job finds trouble (a broken audit chain); empty: the active superusers.
ADMINS = [(address, address) for address in env_list("SIMPUL_ADMINS")]

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # The first class names the scheme of 401 responses; session authentication has none, which would
    # turn every refused token or API key into a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "simpul.accounts.api.authentication.BearerTokenAuthentication",
        "simpul.accounts.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["simpul.core.api.permissions.ScopedModelPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "simpul.core.api.filtering.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "simpul.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "EXCEPTION_HANDLER": "simpul.core.api.exceptions.exception_handler",
    # Requests without credentials, per client address (simpul/core/api/throttling.py); the token
    # endpoint has its own, stricter limit. Counted in the default cache (see CACHES above).
    "DEFAULT_THROTTLE_CLASSES": ["simpul.core.api.throttling.AnonRateThrottle"],
}
# "<number>/<second|minute|hour|day>"; empty turns the limit off.
SIMPUL_RATE_ANON = os.environ.get("SIMPUL_RATE_ANON", "20/min")
SIMPUL_RATE_TOKEN = os.environ.get("SIMPUL_RATE_TOKEN", "10/min")
# Complaints without an account (the service desk's /lapor/ form and anonymous API), per client address.
SIMPUL_RATE_SERVICEDESK_INTAKE = os.environ.get("SIMPUL_RATE_SERVICEDESK_INTAKE", "10/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Simpul API",
    "DESCRIPTION": "REST API Simpul: platform SPBE pemerintah daerah.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApprovalStatusEnum": "simpul.architecture.choices.ApprovalStatus",
        "ElementStatusEnum": "simpul.architecture.choices.ElementStatus",
        "ProposalStatusEnum": "simpul.architecture.models.ProposalStatus",
        "VerificationStatusEnum": "simpul.architecture.models.VerificationStatus",
        "EvaluationPeriodStatusEnum": "simpul.evaluation.models.PeriodStatus",
        "IndicatorAssessmentStatusEnum": "simpul.evaluation.models.AssessmentStatus",
        "ImprovementActionStatusEnum": "simpul.evaluation.models.ImprovementAction.Status",
        "EvidenceKindEnum": "simpul.evaluation.models.Evidence.Kind",
        "NationalStageEnum": "simpul.evaluation.models.NationalStage",
        "ScoreBasisEnum": "simpul.evaluation.models.ScoreBasis",
    },
}

# --- Simpul's own wiring --------------------------------------------------------------------------
# The roles are the kernel's catalogue, kept by the organisations app; core reads them through this
# path so that core imports no app. Everything else a module adds (menu, grants, home cards, demo,
# URLs, search) it declares on its own AppConfig (simpul/core/modules.py): adding a module to
# INSTALLED_APPS is all the wiring there is.
SIMPUL_ROLES = "simpul.organizations.roles.ROLES"

# --- Logging --------------------------------------------------------------------------------------
LOG_LEVEL = os.environ.get("SIMPUL_LOG_LEVEL", "INFO")
LOG_FORMAT = os.environ.get("SIMPUL_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "simpul.core.logging.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
