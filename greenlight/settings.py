"""Django settings, read from the environment (see .env.example)."""

import importlib.util
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GREENLIGHT_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes" are true)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines from `.env` without overriding the real environment."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


_load_dotenv(BASE_DIR / ".env")

# Off unless DEBUG=true is set: a forgotten setting must not show internals to anyone.
DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment; else generated once into var/ (mode 0600), kept there."""
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# django-ninja is not an installed app: as one, Django would import it (and pydantic) when it
# starts, ~0.2 s before every CLI command. Its API docs page (vendored Swagger UI, no CDN) is
# served from its templates and static files, found without importing it (site/api.py).
NINJA_DIR = Path(importlib.util.find_spec("ninja").submodule_search_locations[0])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # In layer order, lowest first (see [tool.importlinter] in pyproject.toml).
    "greenlight.kernel",
    "greenlight.accounts",
    "greenlight.audit",
    "greenlight.notifications",
    "greenlight.catalog",
    "greenlight.supervision",
    "greenlight.approvals",
    "greenlight.projects",
    "greenlight.plans",
    "greenlight.tickets",
    "greenlight.reviews",
    "greenlight.pipeline",
    "greenlight.reforms",
    "greenlight.exchange",
    "greenlight.analytics",
    "greenlight.site",
    "greenlight.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "greenlight.audit.middleware.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "greenlight.kernel.headers.SecurityHeadersMiddleware",
    "greenlight.kernel.middleware.LanguageMiddleware",
    # 413 for oversized bodies, 503 when the database is down (kernel/edge.py).
    "greenlight.kernel.middleware.EdgeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "greenlight.accounts.middleware.AccountPolicyMiddleware",
    "greenlight.site.query_check.UnknownQueryParameters",
    # Last: it answers a locked-out login with the platform's own page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # 统一身份认证 (OpenID Connect); answers nothing unless OIDC_ENABLED (accounts/oidc.py).
    "greenlight.accounts.oidc.SignOnBackend",
]

ROOT_URLCONF = "greenlight.site.urls"
WSGI_APPLICATION = "greenlight.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "greenlight" / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "greenlight.notifications.views.unread_count",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'greenlight.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL") or _default_db
if DATABASE_URL.startswith("sqlite"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while the tick or an import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": ""}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "greenlight.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "greenlight.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"classes": 3}},
    {"NAME": "greenlight.accounts.passwords.NotUsernameValidator"},
    {"NAME": "greenlight.accounts.passwords.CommonPasswordValidator"},
]
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))

# Lockout (django-axes): 5 failures lock the account, and separately the address, 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "greenlight.accounts.lockout.locked_out"
# The address is the peer's unless PROXY_COUNT proxies in front are trusted (a client could
# otherwise pick its own X-Forwarded-For and never be locked out by address).
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if PROXY_COUNT else ["REMOTE_ADDR"]
)
AXES_ENABLE_ADMIN = False  # the security administrator's page shows and lifts locks
AXES_VERBOSE = False

# Sessions: ended after 30 idle minutes (accounts/middleware.py notes the activity once a minute,
# which renews the expiry in the database), gone when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
OTP_TOTP_ISSUER = "Greenlight 绿灯"


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list of its non-empty items."""
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


# 统一身份认证 (the province's identity service, 粤政易 for staff): OpenID Connect, authorization
# code with PKCE (mozilla-django-oidc). Off, with no button on the login page, until the client
# and every endpoint are set. Claim names and the role map: docs/security.md, .env.example.
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid profile")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
OIDC_CREATE_USER = True
OIDC_ENABLED = all(
    (
        OIDC_OP_ISSUER,
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT,
        OIDC_OP_JWKS_ENDPOINT,
        OIDC_RP_CLIENT_ID,
        OIDC_RP_CLIENT_SECRET,
    )
)
# Which claim carries what (the province's names may differ from these defaults).
OIDC_CLAIMS = {
    "username": os.environ.get("OIDC_CLAIM_USERNAME", "preferred_username"),
    "name": os.environ.get("OIDC_CLAIM_NAME", "name"),
    "email": os.environ.get("OIDC_CLAIM_EMAIL", "email"),
    "region": os.environ.get("OIDC_CLAIM_REGION", "region_code"),
    "department": os.environ.get("OIDC_CLAIM_DEPARTMENT", "department"),
    "role": os.environ.get("OIDC_CLAIM_ROLE", "role"),
    "active": os.environ.get("OIDC_CLAIM_ACTIVE", "active"),
}
# The provider's role values to the platform's: "审批人员=approver,领导=leader"; without it the
# provider sends the platform's own values. Only the staff roles below can be given this way.
OIDC_ROLE_MAP = dict(item.split("=", 1) for item in env_list("OIDC_ROLE_MAP") if "=" in item)
# The provider's MFA stands in for the platform's TOTP when the ID token's `acr` is one of
# OIDC_MFA_ACR or its `amr` holds one of OIDC_MFA_AMR; both empty: TOTP after every sign-on.
OIDC_MFA_ACR = env_list("OIDC_MFA_ACR")
OIDC_MFA_AMR = env_list("OIDC_MFA_AMR")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "greenlight" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
# ISO first among the input formats, so forms re-render dates and times as they were.
FORMAT_MODULE_PATH = ["greenlight.kernel.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "greenlight" / "static", NINJA_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise looks there too (collectstatic in production)
# Uploaded files (ticket attachments): never served publicly, only through checked views.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

# WhiteNoise serves static files from the app (finders: no collectstatic needed for `make run`).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
# Secure cookies unless SECURE_COOKIES=false (`make run` serves plain http on 127.0.0.1).
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# TLS ends at the proxy in front of gunicorn, which sets X-Forwarded-Proto: the request then
# counts as https, and SecurityMiddleware sends HSTS (it never does over plain http).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    "security.W008",  # TLS ends at the proxy (SECURE_PROXY_SSL_HEADER), which redirects to https
    "security.W021",  # preload is the operator's choice (SECURE_HSTS_PRELOAD=true)
    # The case facts' covering index (analytics) includes columns on PostgreSQL only; SQLite
    # builds the plain index on decided_at, which is what it needs.
    "models.W040",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50

# Where the keys that must not live in the database are kept: the audit chain's HMAC-SM3 key and
# the SM4 key of personal data. From the environment (hex), else generated once under var/.
AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", "")
PERSONAL_DATA_KEY = os.environ.get("PERSONAL_DATA_KEY", "")
# A superuser bypasses every role check and 三员分立: refused unless explicitly allowed (never in
# production).
ALLOW_SUPERUSER = env_bool("ALLOW_SUPERUSER", False)
# Retention of the audit trail in the database: at least 6 months whatever is asked.
AUDIT_RETENTION_DAYS = max(183, int(os.environ.get("AUDIT_RETENTION_DAYS", "183")))

# Request bodies: JSON and forms up to 2.5 MB (Django's default), uploads (Excel imports,
# ticket attachments) up to FILE_UPLOAD_LIMIT; a larger body is answered 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))
FILE_UPLOAD_LIMIT = int(os.environ.get("FILE_UPLOAD_LIMIT", 20 * 1_048_576))

# Data exchange (greenlight.exchange): the 工改 system's endpoint (GET/POST {url}/tables), its
# bearer token, the coordinator the scheduled pull and push act as, and the 投资 platform.
EXCHANGE_URL = os.environ.get("EXCHANGE_URL", "")
EXCHANGE_TOKEN = os.environ.get("EXCHANGE_TOKEN", "")
EXCHANGE_ACTOR = os.environ.get("EXCHANGE_ACTOR", "")
INVESTMENT_URL = os.environ.get("INVESTMENT_URL", "")
