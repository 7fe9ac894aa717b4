"""Settings for the commentary archive.

Every knob comes from the environment (see `.env.example`); a `.env` file at the
top of the checkout is read first, so `make run` can leave a generated secret key
there. With no `DATABASE_URL` the project runs its own embedded PostgreSQL under
`var/` (see `archive/localdb.py`).
"""

import datetime as dt
import ipaddress
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")


def env_flag(name: str, default: bool) -> bool:
    """A true/false setting; anything else is an error, not a silent False."""
    value = env.str(name, default="").strip().lower()
    if not value:
        return default
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


DEBUG = env_flag("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it in the environment or in .env "
            "(`make .env` writes one), or set DJANGO_DEBUG=true for local work."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",  # its templates, for /sitemap.xml (posts/web/sitemaps.py)
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
    "django_filters",
    "csp",
    "archive.apps.LoginRecordsConfig",  # django-axes, named in Japanese
    "django_ratelimit",
    "posts",
]

MIDDLEWARE = [
    "archive.middleware.TrustedForwardedProto",  # first: SecurityMiddleware's HTTPS redirect reads the header
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise (static files come precompressed) and before all that writes a page or sets a cookie:
    # gzip for the pages that hold no secret (archive/middleware.py, docs/operations.md: BREACH).
    "archive.middleware.PublicGZip",
    "archive.replicas.ReplicaReads",  # which database the request reads the archive from (a replica or the primary)
    # Below gzip (the cache keeps pages uncompressed) and the choice of database (the data version is read where the
    # page would be), above sessions and the views' rate limits: a public page in the cache is served from it
    # (posts/web/caching.py).
    "posts.web.caching.PublicPages",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "archive.middleware.RememberDevices",  # a browser signed in gets its device cookie (archive/logins.py)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "archive.middleware.LongURLs",  # after the middleware that put the security headers on every page
    "django_ratelimit.middleware.RatelimitMiddleware",  # a client over its rate: RATELIMIT_VIEW's 429 page
    "posts.web.limits.TooBroadMiddleware",  # a search over its budget or its statement_timeout: a 503 page
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

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
            ],
            # The pages' template tags live with the pages (posts/web/), not in an app's templatetags/.
            "libraries": {"marks": "posts.web.marks", "paging": "posts.web.paging", "warnings": "posts.web.warning_tags"},
        },
    },
]

# Widgets render through TEMPLATES, so that templates/ can hold the search form's own (posts/web/filters.py: Select).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: DATABASE_URL when given; otherwise the embedded server in var/, whose packages only a connection needs:
# collectstatic runs without either (the Docker image's build, archive/embedded_db/base.py).
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:
    DATABASES = {
        "default": {
            "ENGINE": "archive.embedded_db",
            "NAME": "archive",
            "USER": "postgres",
        }
    }
if env.str("DATABASE_NAME", default=""):  # another database on the same server (the benchmark's)
    DATABASES["default"]["NAME"] = env.str("DATABASE_NAME")
# Read replicas (archive/replicas.py, docs/operations.md): PostgreSQL hot standbys of the primary, as `replica1`, …
# Public pages, feeds and exports read the archive from one; a replica more than DATABASE_REPLICA_MAX_LAG_SECONDS
# behind, or down, is skipped for DATABASE_REPLICA_RETRY_SECONDS and the primary serves; a browser that wrote reads
# the primary for DATABASE_REPLICA_MAX_LAG_SECONDS. Tests create no database on them: they mirror the primary's.
DATABASE_REPLICAS = []
for _n, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    DATABASES[f"replica{_n}"] = {**environ.Env.db_url_config(_url.strip()), "TEST": {"MIRROR": "default"}}
    # A replica that does not answer is given up on quickly, so that the primary serves the page in time.
    DATABASES[f"replica{_n}"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASE_REPLICAS.append(f"replica{_n}")
DATABASE_ROUTERS = ["archive.replicas.ReplicaRouter"]
DATABASE_REPLICA_MAX_LAG_SECONDS = env.int("DATABASE_REPLICA_MAX_LAG_SECONDS", default=5)
DATABASE_REPLICA_RETRY_SECONDS = env.int("DATABASE_REPLICA_RETRY_SECONDS", default=5)
# No statement runs longer than this (ms, 0: no limit). Imports, migrations and the maintenance commands lift it for
# their own work (posts/models/timeouts.py); web requests keep it, and one that reaches it gets a plain 503 page.
STATEMENT_TIMEOUT_MS = env.int("DJANGO_STATEMENT_TIMEOUT_MS", default=3000)
for _database in DATABASES.values():  # the primary and the replicas alike
    if STATEMENT_TIMEOUT_MS:
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c statement_timeout={STATEMENT_TIMEOUT_MS}".strip()
    _database["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
    _database["CONN_HEALTH_CHECKS"] = True
EMBEDDED_PG_DIR = Path(env.str("EMBEDDED_PG_DIR", default=str(BASE_DIR / "var" / "pgdata")))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: counts failed logins and refuses locked-out ones
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
# Our own catalogue first (parse warnings, third-party apps without Japanese): docs/operations.md, "Japanese".
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Importing posts: a file larger than this is refused while it is read.
POST_FILE_MAX_BYTES = env.int("POST_FILE_MAX_BYTES", default=5 * 1024 * 1024)

# One post's structure (posts/ingest/caps.py): a post with more quotes, links or lines than these is refused.
# Five to ten times the largest real posts (~600 lines, 10 quotes, 20 links).
POST_MAX_QUOTES = env.int("POST_MAX_QUOTES", default=50)
POST_MAX_LINKS = env.int("POST_MAX_LINKS", default=250)
POST_MAX_LINES = env.int("POST_MAX_LINES", default=6000)

# The admin's importer: files in one batch, and a zip's members decompressed.
IMPORT_MAX_FILES = env.int("IMPORT_MAX_FILES", default=200)
IMPORT_ZIP_MAX_BYTES = env.int("IMPORT_ZIP_MAX_BYTES", default=100 * 1024 * 1024)
IMPORT_MAX_REQUEST_BYTES = env.int("IMPORT_MAX_REQUEST_BYTES", default=IMPORT_ZIP_MAX_BYTES + 10 * 1024 * 1024)
# Pasted text travels as a form field: let it be as large as a file may be.
DATA_UPLOAD_MAX_MEMORY_SIZE = POST_FILE_MAX_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = IMPORT_MAX_FILES * 5  # well past ours, which answers with a message

# Searching: past this many matching posts a search says "1,000件以上", its pages
# stop and its facets count the first ones only, so that no search reads everything.
SEARCH_RESULTS_CAP = env.int("SEARCH_RESULTS_CAP", default=1000)

# A search's own budget (ms of database time for looking its terms up): past it, the search stops and says it was
# too broad (posts/search/matching.py: Budget), well before statement_timeout would.
SEARCH_BUDGET_MS = env.int("SEARCH_BUDGET_MS", default=500)

# One cache for every worker (the rate limits count in it): a table in the archive's PostgreSQL, made by migration
# 0014. django-ratelimit wants a cache with an atomic increment (E003): the database cache's is not, so requests
# that arrive at the same instant can each pass the count; over a minute the limit holds within a few requests.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "archive_cache"}}
# The rendered public pages (posts/web/caching.py), keyed by URL and data version: in Redis with REDIS_URL (e.g.
# redis://127.0.0.1:6379/0), else in a table of their own (migration 0018), culled past MAX_ENTRIES so that they
# never crowd out the rate limits' counts. A change of the data leaves older keys unread until they expire or are culled.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES["pages"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "archive",
     "TIMEOUT": 24 * 3600}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "archive_pages", "TIMEOUT": 24 * 3600,
          "OPTIONS": {"MAX_ENTRIES": 2000}}
)
# How long a browser, proxy or CDN may reuse a public page without asking again (Cache-Control: public, max-age);
# after that it asks with If-None-Match and gets 304 while the data has not changed.
CACHE_MAX_AGE = env.int("DJANGO_CACHE_MAX_AGE", default=60)
# false: every public page rendered afresh, with no ETag and no Cache-Control (the benchmark's set-up without cache).
PAGE_CACHE = env_flag("DJANGO_PAGE_CACHE", default=True)
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Searches and exports (a request with q, and every JSON or CSV export) are limited per client address
# (archive/clients.py; IPv6 by /64): past DJANGO_SEARCH_RATE, a 429 page. DJANGO_RATELIMIT=false turns it off
# (the benchmark's load test does, to measure the archive rather than the limit).
RATELIMIT_ENABLE = env_flag("DJANGO_RATELIMIT", default=True)
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "posts.web.limits.client_address"
RATELIMIT_VIEW = "posts.web.limits.too_many_requests"
SEARCH_RATE = env.str("DJANGO_SEARCH_RATE", default="30/m")

# Security. DJANGO_HTTPS (on by default outside DEBUG) turns on the settings that
# only make sense behind TLS; set it to false for a plain-HTTP local container.
# gunicorn speaks plain HTTP, so HTTPS means a TLS proxy in front of it, whose
# X-Forwarded-Proto is trusted (from DJANGO_TRUSTED_PROXIES only, when set: archive/middleware.py);
# without HTTPS the header is not trusted.
HTTPS = env_flag("DJANGO_HTTPS", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # health checks ask gunicorn itself, over plain HTTP (docker-compose.yml)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD", default=HTTPS)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: pages, charts and the admin load theirs from static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The only login is the admin's: after it, without a safe `next`, go there (Django's default is a page that
# does not exist here, /accounts/profile/).
LOGIN_REDIRECT_URL = "admin:index"

# Reverse proxies (addresses or networks) whose X-Forwarded-For and X-Forwarded-Proto are believed (archive/clients.py,
# archive/middleware.py); gunicorn.conf.py gives gunicorn the same list. None: REMOTE_ADDR is the client.
try:
    TRUSTED_PROXIES = [ipaddress.ip_network(entry.strip()) for entry in env.list("DJANGO_TRUSTED_PROXIES", default=[])]
except ValueError as error:
    raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES: {error}") from None

# A URL (path and query) longer than this gets our 414 page (archive/middleware.py); gunicorn lets up to 8 KB through.
URL_MAX_BYTES = env.int("DJANGO_URL_MAX_BYTES", default=4096)

# Admin logins (archive/logins.py): failures count per user name at one address, per address across user names,
# and per user name across addresses. Past its limit, each failure locks a count for the cool-off (HTTP 429,
# templates/lockout.html); a user name's across addresses doubles with each further failure, up to the maximum, which
# is also how long failures are remembered. A browser that logged in as a user name (a device cookie, for some days)
# counts its own failures only, so that nobody else's lock it out. Refused tries do not count.
LOGIN_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
LOGIN_USERNAME_FAILURE_LIMIT = env.int("DJANGO_LOGIN_USERNAME_FAILURE_LIMIT", default=10)
LOGIN_COOLOFF = dt.timedelta(minutes=max(1, env.int("DJANGO_LOGIN_COOLOFF_MINUTES", default=15)))
LOGIN_COOLOFF_MAX = max(LOGIN_COOLOFF, dt.timedelta(minutes=env.int("DJANGO_LOGIN_COOLOFF_MAX_MINUTES", default=1440)))
LOGIN_DEVICE_DAYS = env.int("DJANGO_LOGIN_DEVICE_DAYS", default=30)
AXES_HANDLER = "archive.logins.LoginThrottle"
AXES_FAILURE_LIMIT = 1  # archive.logins answers with the number of counts that lock a request: one is enough
AXES_COOLOFF_TIME = "archive.logins.cool_off"
AXES_USERNAME_CALLABLE = "archive.logins.axes_username"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # what a successful login clears: that pair's failures
AXES_CLIENT_IP_CALLABLE = "archive.clients.client_ip"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}
