"""Settings, all from the environment (see .env.example).

Modes (``ZHENWU_MODE``): ``production`` (default), ``demo`` (set by ``zhenwu demo``) and
``test`` (set automatically under pytest). Demo and test may fall back to built-in
development secrets; production refuses to start without real ones.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
MODE = env_str("ZHENWU_MODE") or ("test" if "pytest" in sys.modules else "production")
if MODE not in {"production", "demo", "test"}:
    raise ImproperlyConfigured(f"ZHENWU_MODE must be production, demo or test, not {MODE!r}")
DEMO_MODE = MODE == "demo"
TEST_MODE = MODE == "test"
PRODUCTION = MODE == "production"

ZHENWU_HOME = Path(env_str("ZHENWU_HOME", "var")).resolve()
ZHENWU_HOME.mkdir(parents=True, exist_ok=True)
UPLOAD_DIR = ZHENWU_HOME / "uploads"
REPORT_DIR = ZHENWU_HOME / "reports"
# Uploaded files (work-plan attachments). Never served publicly: only through
# permission-checked views.
MEDIA_ROOT = ZHENWU_HOME / "media"

# Development-only secrets. Never used in production mode (checked below).
_DEV_SECRET = "zhenwu-development-only-secret-do-not-use-in-production-0123456789"
_DEV_DATA_KEY = "1:ZGV2LW9ubHktZGF0YS1rZXktMzItYnl0ZXMtbG9uZyE="  # 32 bytes, base64
_DEV_INDEX_KEY = "ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5LTMyYnl0ZXMh"

SECRET_KEY = env_str("SECRET_KEY") or (None if PRODUCTION else _DEV_SECRET)
# Field encryption keys: "version:base64key,...". The highest version encrypts; all decrypt.
DATA_KEYS = env_str("ZHENWU_DATA_KEYS") or (None if PRODUCTION else _DEV_DATA_KEY)
# HMAC key of the blind index used for exact lookup and uniqueness of ID numbers.
INDEX_KEY = env_str("ZHENWU_INDEX_KEY") or (None if PRODUCTION else _DEV_INDEX_KEY)
_missing = [
    n
    for n, v in [
        ("SECRET_KEY", SECRET_KEY),
        ("ZHENWU_DATA_KEYS", DATA_KEYS),
        ("ZHENWU_INDEX_KEY", INDEX_KEY),
    ]
    if not v
]
if _missing:
    raise ImproperlyConfigured(
        "Production mode needs these environment variables: " + ", ".join(_missing)
    )

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if not PRODUCTION else "")
if TEST_MODE:
    ALLOWED_HOSTS = ["*"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "zhenwu.core",
    "zhenwu.areas",
    "zhenwu.accounts",
    "zhenwu.registry",
    "zhenwu.monitoring",
    "zhenwu.assistance",
    "zhenwu.projects",
    "zhenwu.workplans",
    "zhenwu.reports",
    "zhenwu.api",
    "zhenwu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhenwu.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhenwu.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "zhenwu.accounts.middleware.SessionLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhenwu.urls"
WSGI_APPLICATION = "zhenwu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhenwu.core.context_processors.zhenwu",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
_DEFAULT_DB_FILE = "demo.sqlite3" if DEMO_MODE else "zhenwu.sqlite3"
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{ZHENWU_HOME / _DEFAULT_DB_FILE}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("ZHENWU_TEST_SQLITE") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth and sessions (SECURITY.md 5-8) ----------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TEST_MODE:
    # Argon2 is deliberately slow; tests create many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("ZHENWU_PASSWORD_MIN_LENGTH", 10)},
    },
    {
        "NAME": "zhenwu.accounts.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": env_int("ZHENWU_PASSWORD_MIN_CLASSES", 3)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zhenwu.accounts.passwords.PasswordHistoryValidator"},
]
# Password history and rotation (SECURITY.md 5). The validator refuses any of the last N
# passwords (0 = off). A password older than the maximum age forces the change page at
# login (0 = off; off in demo and test so that the printed accounts and personas log in).
PASSWORD_HISTORY_COUNT = env_int("ZHENWU_PASSWORD_HISTORY", 5)
PASSWORD_MAX_AGE_DAYS = env_int("ZHENWU_PASSWORD_MAX_AGE_DAYS", 90 if PRODUCTION else 0)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "registry:household_list"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = 12 * 3600  # absolute limit
SESSION_IDLE_SECONDS = env_int("ZHENWU_IDLE_SECONDS", 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("ZHENWU_SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("ZHENWU_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("ZHENWU_HSTS_SECONDS", 0)
# Both bind every subdomain of the site's domain to HTTPS: set only when that is true.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ZHENWU_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("ZHENWU_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("ZHENWU_BEHIND_TLS_PROXY", False) else None
)

# Second factor, TOTP (SECURITY.md 7): required for township and district officers and the
# three administrators; for village cadres only with ZHENWU_2FA_CADRES. Off by default in
# demo and test: the demo's printed accounts must log in without a phone, and the test
# suite logs in as personas (the 2FA tests switch it on with a settings override).
# Whoever has confirmed a device is always asked for the code, whatever this says.
REQUIRE_2FA = env_bool("ZHENWU_REQUIRE_2FA", PRODUCTION)
REQUIRE_2FA_CADRES = env_bool("ZHENWU_2FA_CADRES", False)
OTP_TOTP_ISSUER = env_str("ZHENWU_OTP_ISSUER", "镇务")
# Wrong codes: each also counts towards the account lockout below (accounts.two_factor).
OTP_TOTP_THROTTLE_FACTOR = 1

AXES_FAILURE_LIMIT = env_int("ZHENWU_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("ZHENWU_LOCKOUT_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_ENABLED = env_bool("ZHENWU_AXES_ENABLED", True)
# Lock by account, not by IP: a whole township office often shares one IP address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- Content security (no CDN, no inline scripts) --------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- i18n ------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (served by the app, whitenoise) -------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = ZHENWU_HOME / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (TEST_MODE or DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = TEST_MODE or DEBUG

# --- Background work (Django Tasks API) -------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TEST_MODE:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Imports (SECURITY.md 14) ----------------------------------------------------------
IMPORT_MAX_BYTES = env_int("ZHENWU_IMPORT_MAX_BYTES", 30 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("ZHENWU_IMPORT_MAX_ROWS", 200_000)
IMPORT_BACKGROUND_ROWS = env_int("ZHENWU_IMPORT_BACKGROUND_ROWS", 3_000)

# --- Logging: no personal data; request id on every line -------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "zhenwu.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
