"""Settings, read from the environment. See the README's Configuration section."""

import os
import secrets
import time
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("ACCOUNTDESK_VAR_DIR", BASE_DIR.parent.parent / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key_file(path: Path) -> str:
    """The key stored in `path`, created on first use readable by its owner only.

    O_CREAT | O_EXCL makes the file with mode 0600 in one step (never briefly readable by others,
    as writing then chmod-ing would be). When another process starting at the same moment created
    it first, its key is the one to use: read it, waiting for it to be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            if key := path.read_text().strip():
                return key
            time.sleep(0.1)
        raise RuntimeError(f"{path} is empty: delete it or set SECRET_KEY") from None
    key = secrets.token_urlsafe(64)
    with os.fdopen(fd, "w") as file:
        file.write(key)
    return key


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once into var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    return secret_key_file(VAR_DIR / "secret_key")


DEBUG = env_bool("ACCOUNTDESK_DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accountdesk.core",
    "accountdesk.tenancy",
    "accountdesk.audit",
    "accountdesk.activity",
    "accountdesk.customers",
    "accountdesk.notes",
    "accountdesk.messaging",
    "accountdesk.billing",
    "accountdesk.subscriptions",
    "accountdesk.usage",
    "accountdesk.servicedesk",
    "accountdesk.fieldservice",
    "accountdesk.network",
    "accountdesk.contracts",
    "accountdesk.dunning",
    "accountdesk.imports",
    "accountdesk.exports",
    "accountdesk.history",
    "accountdesk.dashboard",
    "accountdesk.search",
    "accountdesk.api",
    "accountdesk.payments",
    "accountdesk.portal",
    "accountdesk.webhooks",
    "accountdesk.demo",
]

# The domain apps, in the order their API routers, customer tabs and URLs are mounted.
DOMAIN_APPS = [
    "customers",
    "notes",
    "activity",
    "billing",
    "subscriptions",
    "usage",
    "servicedesk",
    "fieldservice",
    "network",
    "contracts",
    "dunning",
    "imports",
    "messaging",
    "exports",
    "dashboard",
    "search",
    "portal",
    "webhooks",
]

MIDDLEWARE = [
    "accountdesk.core.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accountdesk.core.middleware.SlidingSessionMiddleware",
    "accountdesk.tenancy.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accountdesk.core.middleware.PermissionsPolicyMiddleware",
    "accountdesk.audit.middleware.RequestOriginMiddleware",
]

ROOT_URLCONF = "accountdesk.urls"
WSGI_APPLICATION = "accountdesk.wsgi.application"

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
                "accountdesk.core.context_processors.accountdesk",
            ],
            # {% url %} with a fast path for id-only links (core/links.py).
            "builtins": ["accountdesk.core.templatetags.links"],
        },
    },
]

# Database: PostgreSQL in production (DATABASE_URL), an embedded SQLite file otherwise.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'accountdesk.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "ACCOUNTDESK_PG_PREPARE", True
):
    # Every page runs the same few small indexed reads again and again; planning them was most of
    # their database time (about 1 ms each, the run itself 0.1 ms). Server-side binding lets
    # psycopg prepare a statement after its fifth run on a connection, and PostgreSQL reuses the
    # plan. Behind a transaction-pooling PgBouncer older than 1.21, set ACCOUNTDESK_PG_PREPARE=0.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tenancy.User"
AUTHENTICATION_BACKENDS = ["accountdesk.tenancy.auth.EmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "customers:list"

# Sign-in throttling. One address trying one email gets SIGNIN_MAX_FAILURES free tries in the window,
# then waits SIGNIN_BACKOFF_SECONDS, twice that after the next failure, and so on (at most the
# window); one address trying many emails gets four times the allowance before the same back-off.
# The email alone is never locked, so its owner can still sign in from elsewhere; at
# SIGNIN_ALERT_FAILURES failures on one account within the window the security log gets an alert.
SIGNIN_MAX_FAILURES = int(os.environ.get("ACCOUNTDESK_SIGNIN_MAX_FAILURES", "5"))
SIGNIN_FAILURE_WINDOW = int(os.environ.get("ACCOUNTDESK_SIGNIN_FAILURE_WINDOW", "900"))
SIGNIN_BACKOFF_SECONDS = int(os.environ.get("ACCOUNTDESK_SIGNIN_BACKOFF_SECONDS", "30"))
SIGNIN_ALERT_FAILURES = int(os.environ.get("ACCOUNTDESK_SIGNIN_ALERT_FAILURES", "20"))

# Two-factor sign-in (django-otp): the issuer name authenticator apps show beside the account.
OTP_TOTP_ISSUER = os.environ.get("ACCOUNTDESK_OTP_ISSUER", "accountdesk")
# A password-reset link works once and for this many seconds.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("ACCOUNTDESK_PASSWORD_RESET_TIMEOUT", "3600"))

# Reverse proxies in front of the application that append to X-Forwarded-For (0: none; the
# client's address is then REMOTE_ADDR).
TRUSTED_PROXIES = int(os.environ.get("ACCOUNTDESK_TRUSTED_PROXIES", "0"))

# A session lasts SESSION_COOKIE_AGE after its last use (sliding), and never longer than
# ACCOUNTDESK_SESSION_ABSOLUTE_AGE after sign-in, however busy.
SESSION_COOKIE_AGE = int(os.environ.get("ACCOUNTDESK_SESSION_AGE", str(8 * 3600)))
ACCOUNTDESK_SESSION_ABSOLUTE_AGE = int(os.environ.get("ACCOUNTDESK_SESSION_ABSOLUTE_AGE", str(7 * 24 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "accountdesk_cache",
    },
    # API rate counters: in each worker's memory, so counting costs no query.
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api-rate"},
}

# API requests one user (token or session) may make per minute; 0 turns the limit off. Counted per
# worker process in the "throttle" cache, or in the shared database cache with
# ACCOUNTDESK_API_RATE_CACHE=default (exact across workers, two queries a request).
API_RATE_PER_MINUTE = int(os.environ.get("ACCOUNTDESK_API_RATE_PER_MINUTE", "1200"))
API_RATE_CACHE = os.environ.get("ACCOUNTDESK_API_RATE_CACHE", "throttle")

# The largest request body accepted, in bytes (Django's DATA_UPLOAD_MAX_MEMORY_SIZE): past it the API
# answers 413 `too_large` and a page 400. The default takes a usage batch of its most rows (100,000).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("ACCOUNTDESK_MAX_REQUEST_BYTES", str(10 * 1024 * 1024)))
# The largest file `accountdesk usage import` reads, in bytes.
USAGE_IMPORT_MAX_BYTES = int(os.environ.get("ACCOUNTDESK_USAGE_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))

# Expensive work one user may start per minute, through the API or the pages alike (0: no limit);
# past it, 429 with Retry-After (core/limits.py). Exports: a tab's CSV, Excel or PDF; ask: a question
# to interactive search; statements: a statement read or its PDF.
WORK_RATES_PER_MINUTE = {
    "exports": int(os.environ.get("ACCOUNTDESK_EXPORT_RATE_PER_MINUTE", "30")),
    "ask": int(os.environ.get("ACCOUNTDESK_ASK_RATE_PER_MINUTE", "30")),
    "statements": int(os.environ.get("ACCOUNTDESK_STATEMENT_RATE_PER_MINUTE", "30")),
}

# The customer portal (/portal/): its own sessions, never Django's staff sessions. A portal session
# ends PORTAL_SESSION_AGE seconds after its last use and PORTAL_SESSION_ABSOLUTE_AGE after sign-in;
# staff opening the portal as a contact get PORTAL_IMPERSONATION_AGE seconds. An invitation link
# works PORTAL_INVITE_HOURS; a password-reset or sign-in link PORTAL_LINK_MINUTES. Each works once.
PORTAL_SESSION_COOKIE = "portal_session"
PORTAL_SESSION_AGE = int(os.environ.get("ACCOUNTDESK_PORTAL_SESSION_AGE", str(2 * 3600)))
PORTAL_SESSION_ABSOLUTE_AGE = int(os.environ.get("ACCOUNTDESK_PORTAL_SESSION_ABSOLUTE_AGE", str(24 * 3600)))
PORTAL_IMPERSONATION_AGE = int(os.environ.get("ACCOUNTDESK_PORTAL_IMPERSONATION_AGE", "3600"))
PORTAL_INVITE_HOURS = int(os.environ.get("ACCOUNTDESK_PORTAL_INVITE_HOURS", "72"))
PORTAL_LINK_MINUTES = int(os.environ.get("ACCOUNTDESK_PORTAL_LINK_MINUTES", "60"))

# API tokens expire this many days after they are created.
ACCOUNTDESK_TOKEN_DAYS = int(os.environ.get("ACCOUNTDESK_TOKEN_DAYS", "90"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("ACCOUNTDESK_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("ACCOUNTDESK_MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Email: SMTP in production, configured by the environment; the console when unset.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "accountdesk <noreply@localhost>")

# SMS (messaging/sms.py): "outbox" stores messages in the product; "rest" posts to a Twilio-style gateway.
ACCOUNTDESK_SMS_BACKEND = os.environ.get("ACCOUNTDESK_SMS_BACKEND", "outbox")
ACCOUNTDESK_SMS_REST_URL = os.environ.get("ACCOUNTDESK_SMS_REST_URL", "https://api.twilio.com/2010-04-01")
ACCOUNTDESK_SMS_ACCOUNT_SID = os.environ.get("ACCOUNTDESK_SMS_ACCOUNT_SID", "")
ACCOUNTDESK_SMS_AUTH_TOKEN = os.environ.get("ACCOUNTDESK_SMS_AUTH_TOKEN", "")
ACCOUNTDESK_SMS_FROM = os.environ.get("ACCOUNTDESK_SMS_FROM", "")
ACCOUNTDESK_SMS_TIMEOUT = float(os.environ.get("ACCOUNTDESK_SMS_TIMEOUT", "10"))
# Emails and SMS that fail for a reason that may pass (the mail server down, the gateway busy) are
# tried again after each of these delays in minutes (about two and a half hours in all), then fail.
ACCOUNTDESK_MESSAGE_RETRY_MINUTES = [
    int(m) for m in os.environ.get("ACCOUNTDESK_MESSAGE_RETRY_MINUTES", "1,5,30,120").split(",") if m.strip()
]

# Paying online (payments/gateways): "test" is a hosted page of our own that takes test cards and
# moves no money; "stripe" is Stripe Checkout, with its webhook at /payments/webhooks/stripe/.
ACCOUNTDESK_PAYMENT_GATEWAY = os.environ.get("ACCOUNTDESK_PAYMENT_GATEWAY", "test")
ACCOUNTDESK_STRIPE_SECRET_KEY = os.environ.get("ACCOUNTDESK_STRIPE_SECRET_KEY", "")
ACCOUNTDESK_STRIPE_WEBHOOK_SECRET = os.environ.get("ACCOUNTDESK_STRIPE_WEBHOOK_SECRET", "")
ACCOUNTDESK_STRIPE_API_BASE = os.environ.get("ACCOUNTDESK_STRIPE_API_BASE", "")
ACCOUNTDESK_STRIPE_TIMEOUT = float(os.environ.get("ACCOUNTDESK_STRIPE_TIMEOUT", "20"))

# Outgoing webhooks (Settings > Webhooks): seconds to connect and to wait for each read of the
# answer. ACCOUNTDESK_WEBHOOK_ALLOW_PRIVATE=1 lets endpoints be on private, loopback and link-local
# addresses (tests, receivers on the same network); off, they are refused at registration and at
# every attempt.
ACCOUNTDESK_WEBHOOK_CONNECT_TIMEOUT = float(os.environ.get("ACCOUNTDESK_WEBHOOK_CONNECT_TIMEOUT", "5"))
ACCOUNTDESK_WEBHOOK_READ_TIMEOUT = float(os.environ.get("ACCOUNTDESK_WEBHOOK_READ_TIMEOUT", "10"))
ACCOUNTDESK_WEBHOOK_ALLOW_PRIVATE = env_bool("ACCOUNTDESK_WEBHOOK_ALLOW_PRIVATE", False)

# Security: strict unless DEBUG. Behind a TLS-terminating proxy, set
# ACCOUNTDESK_PROXY_SSL_HEADER=1 so Django trusts X-Forwarded-Proto.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("ACCOUNTDESK_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("ACCOUNTDESK_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("ACCOUNTDESK_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("ACCOUNTDESK_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("ACCOUNTDESK_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# What the server tells strangers: the Server-Timing header (database time, query count) goes to
# signed-in staff only, and the API's docs page and OpenAPI document need sign-in, unless these
# publish them to everyone.
ACCOUNTDESK_SERVER_TIMING_PUBLIC = env_bool("ACCOUNTDESK_SERVER_TIMING_PUBLIC", False)
ACCOUNTDESK_PUBLISH_API_DOCS = env_bool("ACCOUNTDESK_PUBLISH_API_DOCS", False)

# Content-Security-Policy (django-csp 4): scripts only from this server's static files (no inline
# script, no eval: htmx runs with allowEval off). Styles allow 'unsafe-inline' for the style
# attributes of the templates and the <style> htmx adds for its indicators; a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no page of accountdesk uses, switched off for every page (and anything embedded).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    ]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

NINJA_PAGINATION_MAX_LIMIT = 500

# The ask box's optional language-model path (search/llm.py): an OpenAI-compatible chat completions
# endpoint (Ollama, vLLM, a llama.cpp server, OpenAI) that only picks which question is asked and
# its arguments; the figures always come from the selectors. Off unless a URL is set; on a timeout
# or any failure the offline classifier answers.
ASK_LLM_URL = os.environ.get("ACCOUNTDESK_ASK_LLM_URL", "")
ASK_LLM_MODEL = os.environ.get("ACCOUNTDESK_ASK_LLM_MODEL", "")
ASK_LLM_KEY = os.environ.get("ACCOUNTDESK_ASK_LLM_KEY", "")
ASK_LLM_TIMEOUT = float(os.environ.get("ACCOUNTDESK_ASK_LLM_TIMEOUT", "3"))
