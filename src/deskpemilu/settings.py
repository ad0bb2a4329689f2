"""Settings, driven by environment variables (see README "Konfigurasi").

Two modes:
- the embedded default (SQLite under var/, a secret key generated once into var/, demo data);
- production (DESKPEMILU_PRODUCTION=1): the secret key must come from the environment, cookies
  are secure, HSTS is on and demo accounts are never created.
"""

import os
import re
import secrets
from pathlib import Path

import dj_database_url

from deskpemilu.core.files import private_dir, private_file, write_private

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("DESKPEMILU_VAR_DIR", PROJECT_DIR / "var"))


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = env_flag("DESKPEMILU_PRODUCTION")
DEBUG = env_flag("DESKPEMILU_DEBUG") and not PRODUCTION
TESTING = env_flag("DESKPEMILU_TESTING")


def weak_secret_key(key: str) -> bool:
    """Django's own test in `check --deploy` (security.W009), which only warns."""
    return len(key) < 50 or len(set(key)) < 5


def secret_key() -> str:
    key = os.environ.get("DESKPEMILU_SECRET_KEY", "")
    if PRODUCTION and weak_secret_key(key):
        # Refused at start: a guessable key lets anyone forge sessions and password-reset links.
        raise RuntimeError(
            "DESKPEMILU_SECRET_KEY is required when DESKPEMILU_PRODUCTION=1: at least 50"
            " characters, at least 5 different ones (e.g. python3 -c"
            " 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    if key:
        return key
    # The embedded default keeps a key generated once, so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        private_dir(VAR_DIR)
        write_private(path, secrets.token_urlsafe(50).encode())
    private_file(path)
    return path.read_text().strip()


SECRET_KEY = secret_key()

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DESKPEMILU_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DESKPEMILU_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # django-ninja's own copy of Swagger UI (static files), so /api/v1/docs works on an offline
    # LAN instead of loading it from a CDN.
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "deskpemilu.core",
    "deskpemilu.audit",
    "deskpemilu.regions",
    "deskpemilu.elections",
    "deskpemilu.accounts",
    "deskpemilu.results",
    "deskpemilu.readiness",
    "deskpemilu.health",
    "deskpemilu.incidents",
    "deskpemilu.notify",
    "deskpemilu.team",
    "deskpemilu.stages",
    "deskpemilu.dashboard",
    "deskpemilu.situation",
    "deskpemilu.portal",
    "deskpemilu.offline",
    "deskpemilu.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "deskpemilu.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "deskpemilu.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "deskpemilu.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "deskpemilu.core.middleware.RefusalMiddleware",
]

ROOT_URLCONF = "deskpemilu.urls"
WSGI_APPLICATION = "deskpemilu.wsgi.application"

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
                "deskpemilu.accounts.context_processors.desk",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'deskpemilu.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if not os.environ.get("DATABASE_URL"):
        private_dir(VAR_DIR)
    # Our engine: Django's SQLite backend with a queue for writers (core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "deskpemilu.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a writer takes the lock at BEGIN, so concurrent writers queue instead of
        # failing with "database is locked" halfway through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # WAL lets readers go on while one writer writes; synchronous=FULL makes an
        # acknowledged commit survive a power cut, not only a process crash.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000;"
        ),
    }
    # Tests run on an in-memory database, named so explicitly: pytest-xdist would otherwise derive
    # a file name from NAME for our engine (it only knows Django's own SQLite engine).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get(
    "DESKPEMILU_PG_PREPARED", "1"
) not in ("0", "false", "no"):
    # Server-side parameters and prepared statements (psycopg prepares a statement once a
    # connection has sent it 5 times): planning the write path's statements cost PostgreSQL more
    # than running them (0.9 ms against 0.2 for the sheets around a sheet). Connections are
    # direct and kept (conn_max_age); behind a transaction-pooling PgBouncer set
    # DESKPEMILU_PG_PREPARED=0, which loses the prepared plans between transactions.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"server_side_binding": True, "prepare_threshold": 5})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Tests create many accounts; the production hasher stays argon2 (checked in the tests).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Lockout after repeated failed logins (django-axes), per username and address.
AXES_FAILURE_LIMIT = int(os.environ.get("DESKPEMILU_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "deskpemilu.accounts.views.locked_out"
AXES_VERBOSE = False
# The address is the client's, not nginx's: X-Forwarded-For counts only from these proxies
# (comma-separated addresses or CIDR networks; empty: the socket's peer is the client).
DESKPEMILU_TRUSTED_PROXIES = os.environ.get("DESKPEMILU_TRUSTED_PROXIES", "")
AXES_CLIENT_IP_CALLABLE = "deskpemilu.core.addresses.client_address"
# Failed sign-ins are counted per (username, address) and audited once per window, with the count.
DESKPEMILU_LOGIN_FAILURE_WINDOW_MINUTES = float(
    os.environ.get("DESKPEMILU_LOGIN_FAILURE_WINDOW_MINUTES", "15")
)

# Two-factor sign-in (TOTP, django-otp) for these roles: after the password, every page asks for
# the authenticator's code (or a recovery code) first. The test suite signs in with force_login,
# so it is off there unless a test turns it on; the running application always has it on unless
# DESKPEMILU_2FA_ENFORCED=0 says otherwise.
DESKPEMILU_2FA_ENFORCED = env_flag("DESKPEMILU_2FA_ENFORCED", not TESTING)
DESKPEMILU_2FA_ROLES = [
    r.strip()
    for r in os.environ.get("DESKPEMILU_2FA_ROLES", "admin,verifier").split(",")
    if r.strip()
]
OTP_TOTP_ISSUER = "Desk Pemilu Kota Mataram"

# Sessions expire after 12 hours (one shift) and when the browser closes.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "deskpemilu.core.views.csrf_failure"

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_flag("DESKPEMILU_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Language, time ---------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"  # WITA
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
if TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
MEDIA_ROOT = Path(os.environ.get("DESKPEMILU_MEDIA_ROOT", VAR_DIR / "media"))
# The var directory holds the database, the secret key, the cache and the photos: the service
# user's own (core/files.py), whatever the umask it was first made under.
if VAR_DIR.exists():
    private_dir(VAR_DIR)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
if TESTING:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # 1 MB JSON bodies (CONTRACT: larger answers 413/422)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Cache ----------------------------------------------------------------------------------
# One cache for every process of the installation (the gunicorn workers, the notify worker,
# commands): files under var/cache. Django's default, a memory cache per process, let a worker
# go on serving the public portal as off for seconds after the desk had turned it on (the
# switch cleared the cached flag only in the worker that handled the click). The directory is
# the service user's own (0700): its entries are pickles. The test suite points it at a
# directory of each run's own (conftest.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
        # The portal keeps a page per path, ballot and language for 30 s; past this many entries
        # a third are dropped at random.
        "OPTIONS": {"MAX_ENTRIES": 10000},
    }
}

# --- Desk settings --------------------------------------------------------------------------
# The region served: a Kemendagri code, dotted or not (52.07 or 5207), or 0 for the nation.
DESKPEMILU_INSTALLATION_REGION = os.environ.get("DESKPEMILU_REGION", "5271").replace(".", "")
DESKPEMILU_INSTALLATION_REGION = DESKPEMILU_INSTALLATION_REGION.strip()
if not re.fullmatch(r"0|[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10}", DESKPEMILU_INSTALLATION_REGION):
    raise RuntimeError(
        "DESKPEMILU_REGION harus kode wilayah Kemendagri (52, 5271, 527101, 5271011004) atau 0 "
        f"untuk nasional, bukan {os.environ.get('DESKPEMILU_REGION')!r}."
    )
DESKPEMILU_PUBLIC_PORTAL = env_flag("DESKPEMILU_PUBLIC_PORTAL")
DESKPEMILU_TOKEN_DAYS = int(os.environ.get("DESKPEMILU_TOKEN_DAYS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}

# --- Incidents and notifications (incidents/, notify/) -----------------------------------------
# Email goes out through SMTP (the notify worker sends it, after commit, with retries).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("DESKPEMILU_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DESKPEMILU_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DESKPEMILU_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DESKPEMILU_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_flag("DESKPEMILU_SMTP_STARTTLS")
EMAIL_USE_SSL = env_flag("DESKPEMILU_SMTP_SSL")
EMAIL_TIMEOUT = int(os.environ.get("DESKPEMILU_SMTP_TIMEOUT", "15"))
DEFAULT_FROM_EMAIL = os.environ.get("DESKPEMILU_FROM_EMAIL", "Desk Pemilu <desk-pemilu@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The backend the notify worker sends with (tests point Django's own EMAIL_BACKEND at memory,
# the worker keeps talking SMTP to the test's real server).
DESKPEMILU_NOTIFY_EMAIL_BACKEND = os.environ.get(
    "DESKPEMILU_NOTIFY_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
# Links in emails and webhook bodies: the address people open the desk at. In production it
# must be given (a link to 127.0.0.1 in a mayor's inbox leads nowhere), and be http(s).
DESKPEMILU_SITE_URL = os.environ.get(
    "DESKPEMILU_SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000"
).rstrip("/")
if PRODUCTION and not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", DESKPEMILU_SITE_URL):
    raise RuntimeError(
        "DESKPEMILU_SITE_URL is required when DESKPEMILU_PRODUCTION=1: the http(s) address of"
        " the desk, e.g. https://desk-pemilu.mataramkota.go.id (used for links in emails)"
    )
# Outbox retries: base·2^(attempt−1) seconds, capped, then given up after the last attempt.
DESKPEMILU_NOTIFY_RETRY_BASE_SECONDS = float(os.environ.get("DESKPEMILU_NOTIFY_RETRY_BASE", "30"))
DESKPEMILU_NOTIFY_RETRY_MAX_SECONDS = float(os.environ.get("DESKPEMILU_NOTIFY_RETRY_MAX", "3600"))
DESKPEMILU_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("DESKPEMILU_NOTIFY_MAX_ATTEMPTS", "8"))
# Try the outbox at once after each commit, in a background thread (the worker still retries).
DESKPEMILU_NOTIFY_IMMEDIATE = env_flag("DESKPEMILU_NOTIFY_IMMEDIATE")
# Webhooks call public addresses only; a LAN-only installation whose receiver has a private
# address turns this on (notify/targets.py).
DESKPEMILU_WEBHOOK_ALLOW_PRIVATE = env_flag("DESKPEMILU_WEBHOOK_ALLOW_PRIVATE")
DESKPEMILU_WEBHOOK_TIMEOUT = float(os.environ.get("DESKPEMILU_WEBHOOK_TIMEOUT", "10"))
# The audit witness: the notify worker sends the audit head (N:HASH) outside the server every
# INTERVAL minutes, by email (comma-separated addresses) and/or a signed webhook, so a chain
# rewritten on the server is caught against the heads the witness kept. Off with neither set.
DESKPEMILU_AUDIT_WITNESS_EMAIL = [
    a.strip() for a in os.environ.get("DESKPEMILU_AUDIT_WITNESS_EMAIL", "").split(",") if a.strip()
]
DESKPEMILU_AUDIT_WITNESS_WEBHOOK = os.environ.get("DESKPEMILU_AUDIT_WITNESS_WEBHOOK", "")
DESKPEMILU_AUDIT_WITNESS_SECRET = os.environ.get("DESKPEMILU_AUDIT_WITNESS_SECRET", "")
DESKPEMILU_AUDIT_WITNESS_INTERVAL = int(os.environ.get("DESKPEMILU_AUDIT_WITNESS_INTERVAL", "60"))
# The situation room's live blocks are redrawn from the data at most once per this many seconds
# (situation.fragments): a stream of writes no longer costs one drawing per write per screen.
# 0 under testing, so a test sees every write at once.
DESKPEMILU_SITUATION_REDRAW_SECONDS = float(
    os.environ.get("DESKPEMILU_SITUATION_REDRAW_SECONDS", "0" if TESTING else "2")
)
# Service levels per incident severity, in minutes: (acknowledge, resolve).
DESKPEMILU_INCIDENT_SLA = {
    "kritis": (15, 120),
    "tinggi": (30, 360),
    "sedang": (120, 1440),
    "rendah": (480, 4320),
}
