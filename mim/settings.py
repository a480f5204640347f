"""The one settings module. Everything that differs between machines comes from the
environment through the strict readers in mim.env; see .env.example."""

import datetime
import os
from pathlib import Path

from mim.env import DEV_SECRET_KEY, env_bool, env_database, env_list, env_secret

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = PROJECT_DIR / "var"

DEBUG = env_bool("MIM_DEBUG", default=False)
SECRET_KEY = env_secret("MIM_SECRET_KEY") or DEV_SECRET_KEY
# The development key is refused where it matters: when the web application is
# loaded with DEBUG off (mim.wsgi) and by `check --deploy` (mim.web.checks).
USING_DEV_SECRET_KEY = SECRET_KEY == DEV_SECRET_KEY
ALLOWED_HOSTS = env_list("MIM_ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "mim.web.apps.MimAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mim.web",
    "mim.codebook",
    "mim.accounts",
    "mim.organisations",
    "mim.registry",
    "mim.spreadsheets",
    "mim.audit",
    "mim.figures",
    "mim.results",
    "mim.returns",
    "mim.publication",
    "mim.dashboards",
    "mim.reports",
    "mim.office",
    "mim.demo",
    "mim.operations",
    "mim.api",
    "axes",
    "django_countries",  # ISO 3166-1 with Dutch names (its own catalogue)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "mim.accounts.middleware.SecondFactorMiddleware",
    "mim.web.middleware.SessionLimitsMiddleware",
    "mim.web.middleware.PrivatePagesMiddleware",
    "mim.web.middleware.PublicationRefusedMiddleware",
    "mim.audit.middleware.DeniedAccessMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mim.urls"
WSGI_APPLICATION = "mim.wsgi.application"

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
                "mim.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", VAR_DIR / "mim.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# No composition rules (ASVS 6.2): length and a common-password list only.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): 5 failures lock that username from that address for
# 15 minutes. Username and address together, so one proxy address never locks out
# everybody behind it, and a guessed username cannot lock its owner out from elsewhere.
# The address is the peer address only: X-Forwarded-For is never trusted.
# Across usernames, an address is slowed down (never locked) by mim.accounts.throttle.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "mim.audit.services.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# Idle timeout: the cookie lives 30 minutes and every request renews it. The absolute
# limit (a new login after 10 hours, however active) is mim.web.middleware's.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
MIM_SESSION_ABSOLUTE_SECONDS = 10 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("MIM_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: scripts only from our own origin, no framing, no plugins.
# Inline style attributes are allowed because server-rendered SVG charts use them;
# styles cannot run code.
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Personal values must never reach a log line: log records carry codes and ids only,
# and the default error e-mails (which include request bodies) are off.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
ADMINS = []

OTP_TOTP_ISSUER = "MIM Registratie"
# The admin never shows a user's TOTP key or recovery codes (an operator could log in as her).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Invitations (mim.accounts.services.user_create): a new user chooses her own password
# through a link that only she receives by e-mail, so the office never holds a credential.
# With MIM_EMAIL_HOST set, mail goes there by SMTP (STARTTLS unless MIM_EMAIL_TLS=false);
# unset, to a mail server on this machine (port 25), or to the console on a developer's one.
if os.environ.get("MIM_EMAIL_HOST"):
    EMAIL_HOST = os.environ["MIM_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("MIM_EMAIL_PORT", "587"))
    EMAIL_USE_TLS = env_bool("MIM_EMAIL_TLS", default=True)
    EMAIL_HOST_USER = os.environ.get("MIM_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env_secret("MIM_EMAIL_PASSWORD") or ""
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("MIM_EMAIL_FROM", "MIM Registratie <noreply@localhost>")
# The mail goes out inside the transaction that makes the account: a mail server that hangs
# must fail the request (nothing saved) rather than hold it until the worker is killed.
EMAIL_TIMEOUT = 20
# The address the links in those mails start with. Set, it wins over the request's own host
# and scheme (behind a proxy those are what the proxy sent; the deploy check asks for it);
# unset, a request's address is used, and the CLI's mails say localhost.
MIM_SITE_URL = os.environ.get("MIM_SITE_URL", "").rstrip("/")
# How long an invitation's link works (Django's token generators read this setting).
PASSWORD_RESET_TIMEOUT = 7 * 24 * 60 * 60

# Months after a record's end at which its contact details are erased (mim retention).
# How long a year's published figures stand while only the provisional sites' live records
# change (mim.publication.selectors.refresh): each release is audited with every earlier one
# of the year, so their number is kept to about one a month. A return's step is released at
# once. 0: a release at the first read after every change (the tests).
MIM_RELEASE_DAYS = int(os.environ.get("MIM_RELEASE_DAYS", "30"))
MIM_CONTACT_RETENTION_MONTHS = 24
