"""Settings read from the environment once (django-environ).

Embedded default: SQLite file in the project and Celery eager (no REDIS_URL).
Production: DATABASE_URL / REDIS_URL / SECRET_KEY / DEBUG=false / ALLOWED_HOSTS.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, True),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    REDIS_URL=(str, ""),
    SECURE_SSL_REDIRECT=(bool, True),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
SECRET_KEY = env(
    "SECRET_KEY",
    default="django-insecure-dev-only-key-change-me-in-production" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # OpClass in index expressions (the trigram search indexes); inert on SQLite.
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "simple_history",
    "projects_site.apps.AxesConfig",
    "csp",
    "django_celery_beat",
    "django_celery_results",
    "core",
    "core.channels",
    "registry",
    "milestones",
    "pipeline",
    "assessments",
    "evaluations",
    "reports",
    "instructions",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside SessionMiddleware, so a refresh it asks for is saved on the way out.
    "core.middleware.session_refresh",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Figure pages read from DATABASE_REPLICA_URL when set (a no-op without it).
    "core.replica.ReplicaReadsMiddleware",
    # A read-only request loads a scope's monthly rows once, however many figures use them.
    "core.cache.request_memo",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it reads the authentication result.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "projects_site.urls"

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
                "portal.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "projects_site.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent readers while the Celery eager task or an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# A streaming replica of the same PostgreSQL database (core/replica.py): dashboards,
# reports and exports read from it when set; everything else uses default.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    # Tests have one database: the replica alias points at default's test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
# The views whose GET reads from the replica (the figure pages, their APIs and the exports
# answered at once); URL names, checked by core/tests/test_replica.py.
REPLICA_READ_URL_NAMES = [
    "portal:home",
    "portal:dashboard",
    "portal:dashboard_screen",
    "assessments:list",
    "assessments:export",
    "assessments:scores",
    "assessments:score_export",
    "assessments:records",
    "assessments:negative_export",
    "assessments:forecast",
    "assessments:forecast_export",
    "api:dashboard",
    "api:dashboard_charts",
    "api:dashboard_map",
    "api:scores",
    "api:forecast",
    "api:forecast_projects",
    "api:forecast_at_risk",
    "bulletin:page",
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "core.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
# Chinese names for admin pages of apps that ship no zh_Hans catalog (axes, celery results).
LOCALE_PATHS = [BASE_DIR / "projects_site" / "locale"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
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

# Uploads: spreadsheets and site photos. Bigger files are refused with a message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Site photos (milestones/photos.py): bytes of one upload and pixels of the decoded image;
# a photo past either is refused before it is decoded.
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=10 * 1024 * 1024)
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=40_000_000)
# Photos kept from a report form that failed validation wait this long for the reporter.
PHOTO_PENDING_KEEP_HOURS = env.int("PHOTO_PENDING_KEEP_HOURS", default=72)
# Data rows one import may hold; a bigger sheet is refused before it is loaded.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)
# Bounds checked before a spreadsheet is parsed (core/excel/reader.py): the size of
# the unzipped .xlsx/.ods, how much one zip member may inflate, the longest cell text.
IMPORT_MAX_UNZIPPED_BYTES = env.int("IMPORT_MAX_UNZIPPED_BYTES", default=100 * 1024 * 1024)
IMPORT_MAX_ZIP_RATIO = env.int("IMPORT_MAX_ZIP_RATIO", default=100)
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=2000)
# Text all cells expand to once loaded (a shared string is copied into every cell using it).
IMPORT_MAX_TEXT_CHARS = env.int("IMPORT_MAX_TEXT_CHARS", default=20_000_000)
# An import unfinished and unchanged for this long lost its worker: marked 失败.
IMPORT_STALE_MINUTES = env.int("IMPORT_STALE_MINUTES", default=30)
# Exports of more rows than this are built by a worker (core.export_jobs): the user gets a
# job page with a progress bar and a download instead of a request holding a web worker.
EXPORT_ASYNC_ROWS = env.int("EXPORT_ASYNC_ROWS", default=5000)
# An export unfinished and unmoved this long lost its worker: marked 失败.
EXPORT_STALE_MINUTES = env.int("EXPORT_STALE_MINUTES", default=30)
# Days a finished export's file is kept for download; a nightly beat job deletes older ones
# (the job row stays: who exported what, and when).
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
# A stored file no row names is deleted by a nightly beat job once it is this old (younger,
# its row may still be committing): uploads whose save rolled back leave no litter.
ORPHAN_FILE_MIN_AGE_HOURS = env.int("ORPHAN_FILE_MIN_AGE_HOURS", default=24)
# E-mail for notices (SPEC §3.7): the console in the embedded default, SMTP by environment,
# e.g. EMAIL_URL=smtp+tls://user:password@mail.example.gov.cn:587
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="重点项目管理系统 <noreply@localhost>")
# Channels besides the app and e-mail (SPEC §3.10, core/channels), each off while unset:
# SMS through a gateway's HTTP API, 企业微信/政务微信 and 钉钉 group robots by webhook, e.g.
#   SMS_GATEWAY_URL=https://sms.example.gov.cn/api/send  SMS_GATEWAY_TOKEN=…  SMS_SIGN_NAME=江州发改
#   WECOM_WEBHOOK_URL=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…
#   DINGTALK_WEBHOOK_URL=https://oapi.dingtalk.com/robot/send?access_token=…  DINGTALK_SECRET=SEC…
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", default="")
SMS_SIGN_NAME = env("SMS_SIGN_NAME", default="重点项目")
WECOM_WEBHOOK_URL = env("WECOM_WEBHOOK_URL", default="")
DINGTALK_WEBHOOK_URL = env("DINGTALK_WEBHOOK_URL", default="")
DINGTALK_SECRET = env("DINGTALK_SECRET", default="")
CHANNEL_TIMEOUT_SECONDS = env.float("CHANNEL_TIMEOUT_SECONDS", default=5)
# Attempts before a message is marked 发送失败 (waits 1, 2, 4 … minutes between them).
CHANNEL_MAX_ATTEMPTS = env.int("CHANNEL_MAX_ATTEMPTS", default=8)
# Which notices go out on the channels: reminders, 催报 and 领导批示 (the rest stay in-app).
CHANNEL_NOTICE_KINDS = env.list(
    "CHANNEL_NOTICE_KINDS",
    default=["window_open", "deadline_near", "report_returned", "problem_overdue", "chase",
             "instruction", "instruction_due", "instruction_reply"],
)  # fmt: skip
# The site's address as people reach it, for links in e-mails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Reminders: how many working days before a reporting deadline the unreported are reminded.
REMINDER_WORKING_DAYS = env.int("REMINDER_WORKING_DAYS", default=2)
# Review levels of monthly reports (SPEC §3.6): 1 (a reviewer's approval is final) or 2
# (county 初审, then city 复审).
REVIEW_LEVELS = env.int("REVIEW_LEVELS", default=1)
# A report run unfinished and unmoved this long lost its worker: marked 失败, may be re-asked.
REPORTS_STALE_MINUTES = env.int("REPORTS_STALE_MINUTES", default=30)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"


# Celery: with no REDIS_URL the tasks run eagerly in-process (embedded default).
REDIS_URL = env("REDIS_URL")
# The cache holds short-lived whole-scope figures (core.cache). With Redis it is shared
# by every gunicorn worker, so one approval invalidates them all; short socket timeouts make a
# stopped Redis a cache miss rather than a hung page.
if env("CACHE_URL", default=""):
    CACHES = {"default": env.cache("CACHE_URL")}
elif REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "xmgl",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The city's outline for the dashboard map, a GeoJSON under static/ ("" = no map).
CITY_GEOJSON = env("CITY_GEOJSON", default="vendor/geo/jiangzhou.geojson")
# Letterhead and signature of 两函一单 ("" = the top region's name + 发展和改革委员会).
LETTER_AUTHORITY = env("LETTER_AUTHORITY", default="")
# Seconds a scope's figures may be served from the cache; writes invalidate them sooner.
ASSESS_CACHE_SECONDS = env.int("ASSESS_CACHE_SECONDS", default=60)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TRACK_STARTED = True
CELERY_RESULT_BACKEND = "django-db"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A request that queues work must not hang when Redis is down: a few quick retries, then
# core.queue turns the refusal into a Chinese message (kombu's default waits ~1 s × 3
# per attempt and then some).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# visibility_timeout: a message unacknowledged this long is handed out again. It outlasts the
# longest task (a 20,000-project report ~80 s, a 50,000-row import or export under a minute)
# ten times over; a copy handed out while a live worker still builds the row is skipped
# anyway (core.jobs.claim). A worker killed outright is not waited for: the sweep below
# sends its job again within JOB_STALE_SECONDS + a minute.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=15 * 60),
}
# Jobs whose worker is gone (core.jobs): a running task beats every JOB_HEARTBEAT_SECONDS;
# a running job silent for JOB_STALE_SECONDS, or a queued one whose message Redis no longer
# holds after JOB_QUEUED_GRACE_SECONDS, is sent again JOB_MAX_REQUEUES times, then failed.
JOB_HEARTBEAT_SECONDS = env.float("JOB_HEARTBEAT_SECONDS", default=15)
JOB_STALE_SECONDS = env.int("JOB_STALE_SECONDS", default=90)
JOB_QUEUED_GRACE_SECONDS = env.int("JOB_QUEUED_GRACE_SECONDS", default=60)
JOB_MAX_REQUEUES = env.int("JOB_MAX_REQUEUES", default=1)
# A task is acknowledged when it has finished, and a worker killed mid-task gives it back to
# the queue: reports are rebuilt by the next worker, never lost (reports.tasks).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # DRF's token authentication, refusing tokens of locked or deactivated accounts.
        "core.api.authentication.AccountTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: DRF's browsable pages carry inline styles the CSP refuses; people explore
    # the API through the vendored Swagger UI at /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "registry.api.base.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Service errors (stale version → 409, refused rule → 400) with their Chinese messages.
    "EXCEPTION_HANDLER": "registry.api.base.exception_handler",
}
SWAGGER_UI_STATIC_URL = "/" + STATIC_URL.strip("/") + "/vendor/swagger-ui"
SPECTACULAR_SETTINGS = {
    "TITLE": "重点项目管理系统 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema names every resource and field: only signed-in users (session or token).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Fields named alike (status, level, category) carry different choice sets: name each.
    "ENUM_NAME_OVERRIDES": {
        "RegionLevelEnum": "registry.choices.RegionLevel",
        "LeaderLevelEnum": "registry.choices.LeaderLevel",
        "ProjectLevelEnum": "registry.choices.ProjectLevel",
        "CategoryEnum": "registry.choices.Category",
        "RelocationStatusEnum": "registry.choices.RelocationStatus",
        "ApprovalStatusEnum": "registry.choices.ApprovalStatus",
        "ReportStatusEnum": "milestones.choices.ReportStatus",
        "ProblemCategoryEnum": "milestones.choices.ProblemCategory",
        "ProblemStatusEnum": "milestones.choices.ProblemStatus",
        "LetterStatusEnum": "milestones.choices.LetterStatus",
        "ReportKindEnum": "reports.models.ReportKind",
        "RunStatusEnum": "reports.models.RunStatus",
        "StageEnum": "registry.choices.Stage",
        "PipelineStageEnum": "pipeline.choices.PipelineStage",
        "PipelineSourceEnum": "pipeline.choices.Source",
    },
    # The intranet has no CDN: Swagger UI is vendored from npm (static/vendor/swagger-ui/).
    "SWAGGER_UI_DIST": SWAGGER_UI_STATIC_URL,
    "SWAGGER_UI_FAVICON_HREF": f"{SWAGGER_UI_STATIC_URL}/favicon-32x32.png",
}

# Content-Security-Policy (django-csp 4): no inline script, no eval, nothing from other origins,
# so text that slips past escaping still cannot run. Pages load their scripts from static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Style attributes stay allowed: templates size elements from data (chart heights,
        # import progress width), ECharts writes tooltip markup with style="" and Django admin
        # uses them too. A style attribute cannot run script. <style> elements stay blocked
        # (style-src-elem) in browsers that know CSP 3; older ones fall back to style-src.
        "style-src": ["'self'", "'unsafe-inline'"],
        "style-src-elem": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Wrong passwords that lock an account at one address, and from every address (core.lockout).
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=50)
AXES_FAILURE_LIMIT = "core.lockout.failure_limit"
AXES_COOLOFF_TIME = 0.5  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# Lock an account at the address the wrong passwords come from, not everywhere (anyone who
# knows a user name could lock its owner out) and not the whole address (every colleague
# behind the intranet's NAT); a ceiling per account stops guessing from many addresses.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]

# Idle timeout: a session ends after a working day without activity (default 8 h); activity
# pushes the expiry forward, at most once per SESSION_REFRESH_SECONDS (core.middleware).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=300)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
