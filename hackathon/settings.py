"""Settings, read from the environment with embedded development defaults.

With nothing set the platform runs on SQLite with Celery tasks run eagerly and email
printed to the console. Production (DJANGO_ENV=production) refuses to start unless the
variables in PRODUCTION_REQUIRED are set.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

PRODUCTION_REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL")
if PRODUCTION:
    missing = [name for name in PRODUCTION_REQUIRED if not env.str(name, default="")]
    if missing:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs these environment variables: " + ", ".join(missing)
        )

SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-used-in-production")
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "django_celery_results",
    "django_celery_beat",
    "crispy_forms",
    "crispy_forms_gds",
    # Our apps, in data-flow order: an app imports only from those above it.
    "common",
    "accounts",
    "events",
    "registration",
    "teams",
    "datasets",
    "submissions",
    "judging",
    "feedback",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "common.middleware.RequestInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

# Benchmarks add their no-op baseline view (hackathon/bench_urls.py); nothing else should.
BENCHMARK_VIEWS = env.bool("BENCHMARK_VIEWS", default=False)
ROOT_URLCONF = "hackathon.bench_urls" if BENCHMARK_VIEWS else "hackathon.urls"
WSGI_APPLICATION = "hackathon.wsgi.application"

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
                "events.context_processors.navigation",
            ],
        },
    },
    {
        # Plain-text emails and subjects: nothing is HTML there, so nothing is escaped
        # ("O'Neill", not "O&#x27;Neill"). Used by name only (common.outbox.render_text);
        # every other lookup finds the escaping engine above first.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# Every form escapes its labels and help text, which Django's and crispy-forms' templates
# would print as HTML.
FORM_RENDERER = "common.forms.Renderer"
# Forms render as GOV.UK Design System components (templates/includes/form.html).
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.14.0"

# --- Database -------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so concurrent writers
    # queue instead of failing on upgrade; capacity checks stay correct without row locks.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (allauth's login rate limits count attempts here) ---------------------------
# Production processes must share it, or each would count failed logins on its own:
# without CACHE_URL they use the broker's Redis.
_default_cache = (
    env.str("CELERY_BROKER_URL")
    if PRODUCTION and env.str("CELERY_BROKER_URL").startswith("redis")
    else "locmemcache://civichack"
)
CACHES = {"default": env.cache("CACHE_URL", default=_default_cache)}

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# allauth's forms in the site's words; sign-up also asks for the name people are shown by
# (never their email address).
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "set_password": "accounts.forms.SetPasswordForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "add_email": "accounts.forms.AddEmailForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Confirming the address in the browser that signed up signs the person in and takes them
# where they were going (the `next` they signed up with: a register page, a team invite).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Failed sign-ins are counted per (account, address) pair: five in five minutes stops that
# pair only, so wrong passwords typed elsewhere cannot lock anyone out
# (AccountAdapter._get_login_attempts_cache_key). A higher per-address limit slows one
# address guessing across many accounts; a venue behind one address stays under it,
# since a successful sign-in takes back its count. Sign-ins of any outcome per address
# are raised from allauth's 30 a minute for the same reason.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "30/m/ip,300/h/ip,5/300s/key",
    "login": "200/m/ip",
}
# How many reverse proxies in front of the site append to X-Forwarded-For: the client's
# address, which login and API throttling count by, is the one the nearest of them saw.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# The outbox adds EMAIL_SUBJECT_PREFIX to every subject, allauth's included.
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files live here and are never served directly (no MEDIA_URL): they leave only
# through permission-checked download views (common.files.attachment_response).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# The largest file anyone may upload, refused while it arrives (common.files).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=200 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "common.files.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Email ----------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-mail"))
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CivicHack <hello@civichack.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_NAME = env.str("SITE_NAME", default="CivicHack")
EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Absolute links in emails and calendar feeds start with this.
# make demo serves on HOST:PORT; links in emails point there unless SITE_URL says otherwise.
# A wildcard bind address is no place to browse to, so those links name this machine.
_DEMO_HOST = env.str("HOST", default="127.0.0.1")
_DEMO_HOST = "127.0.0.1" if _DEMO_HOST in ("0.0.0.0", "::") else _DEMO_HOST  # noqa: S104 (compared, not bound)
SITE_URL = env.str("SITE_URL", default=f"http://{_DEMO_HOST}:{env.int('PORT', default=8000)}")
SITE_URL = SITE_URL.rstrip("/")

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an anonymous request answer 401.
    # Tokens are knox's: only a hash is stored, each has an expiry (accounts.services).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["common.permissions.RulePermission"],
    "DEFAULT_THROTTLE_CLASSES": [
        "common.throttling.AnonThrottle",
        "common.throttling.UserThrottle",
        "common.throttling.BurstThrottle",
    ],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "common.schema.ErrorAwareAutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "common.input.CheckedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + ([] if PRODUCTION else ["rest_framework.renderers.BrowsableAPIRenderer"]),
}
# API throttling (common.throttling): per address when anonymous, per person when signed
# in, plus a per-minute burst limit for both. Over a limit answers 429 with Retry-After.
API_THROTTLE_RATES = {
    "anon": env.str("API_THROTTLE_ANON", default="1000/hour"),
    "user": env.str("API_THROTTLE_USER", default="5000/hour"),
    "burst": env.str("API_THROTTLE_BURST", default="120/min"),
}
# The CKAN Action API and the DCAT / Data Package exports are plain views, throttled per
# address (common.throttling.throttled_per_address). ckanapi's "dump --all" asks for one
# dataset per request, so the API's rate is the higher.
CKAN_THROTTLE_RATE = env.str("CKAN_THROTTLE_RATE", default="600/min")
EXPORT_THROTTLE_RATE = env.str("EXPORT_THROTTLE_RATE", default="120/min")
# API tokens (django-rest-knox): stored as a SHA-512 digest, shown once when created.
# The prefix lets secret scanners recognise a leaked token.
API_TOKEN_EXPIRY_DAYS = (7, 30, 90, 365)  # the choices offered; the default is 90
API_TOKEN_DEFAULT_DAYS = 90
API_TOKEN_LIMIT_PER_USER = 10
# Named explicitly: knox declares its model swappable, which Django resolves by this name.
KNOX_TOKEN_MODEL = "knox.AuthToken"  # noqa: S105 — a model name, not a secret
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_DEFAULT_DAYS),
    "TOKEN_PREFIX": "civic_",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CivicHack API",
    "DESCRIPTION": (
        "Events, registrations and teams of community data hackathons. Send an API token "
        "(made on your profile page) as `Authorization: Token <key>`. "
        'Every error answers {"error": {"code", "message", "details"}}.'
    ),
    "VERSION": "1.0.0",
    # The groups operations are shown in (hackathon.api_docs.group_operations), in order.
    "TAGS": [
        {
            "name": "Events",
            "description": "Published events: list, read, and for their "
            "organisers create, change and publish.",
        },
        {
            "name": "Programme",
            "description": "An event's themes, challenges and schedule; "
            "anyone who can see the event reads them, its organisers change them.",
        },
        {
            "name": "Registering",
            "description": "An event's questions, registering for it, "
            "and your own registrations: answers, offers, leaving, your ticket.",
        },
        {
            "name": "Registrations and the door",
            "description": "For an event's organisers: "
            "its registrations, changing a status, the CSV export and messages to a segment; "
            "for its door volunteers, check-in by ticket code and walk-ins.",
        },
        {
            "name": "Teams",
            "description": "Teams, invites and requests to join, the board of "
            "people looking for a team, and the organisers' matching runs.",
        },
        {
            "name": "Help queue",
            "description": "Teams asking mentors for help, and mentors "
            "claiming and resolving those requests.",
        },
        {
            "name": "Datasets",
            "description": "The shared dataset catalogue: search and filter it as its "
            "page does, read a dataset's metadata, files and column profiles.",
        },
        {
            "name": "Submissions",
            "description": "Teams' entries: their files and the checks' reports, the "
            "datasets they cite, slides, and the moves from draft to submitted to locked.",
        },
        {
            "name": "Judging",
            "description": "How teams are judged: the criteria of an event's rubric, their "
            "weights, scales and what each score means; a judge's queue and score sheets; "
            "the event's prizes; and the results and winners, once published.",
        },
        {
            "name": "Feedback",
            "description": "An event's feedback survey for its organisers: its settings, "
            "questions and report; and a survey link's questions, answered once with no "
            "sign-in.",
        },
        {"name": "Your account", "description": "Your profile and the list of skills."},
    ],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "hackathon.api_docs.group_operations",
    ],
    # Several models have a "status"; each set of choices gets a name of its own.
    "ENUM_NAME_OVERRIDES": {
        "RegistrationStatusEnum": "registration.enums.RegistrationStatus",
        "JoinRequestStatusEnum": "teams.enums.JoinRequestStatus",
        "HelpStatusEnum": "teams.enums.HelpStatus",
        "MatchingStatusEnum": "teams.enums.MatchingStatus",
        "SubmissionStatusEnum": "submissions.enums.SubmissionStatus",
        "ValidationStatusEnum": "submissions.enums.ValidationStatus",
        "ArtifactKindEnum": "submissions.enums.ArtifactKind",
    },
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Without a broker, tasks run in-process (still after commit), so the demo needs no Redis.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="civichack")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Validating uploaded analyses has a queue of its own, so email never waits behind it;
# every worker (docker-compose's included) listens to both queues.
SUBMISSIONS_VALIDATION_QUEUE = "validation"
CELERY_TASK_ROUTES = {
    "submissions.tasks.validate_artifact": {"queue": SUBMISSIONS_VALIDATION_QUEUE},
}
# The longest delay any task may be given (retry backoff included). Deadlines and
# expiries are found by periodic sweeps, never by long countdowns or ETAs.
CIVICHACK_MAX_TASK_COUNTDOWN = 300
# Redis hands an unacknowledged task to another worker after this long; it must exceed
# any countdown plus the hard time limit, or a delayed task would be delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 900}
CELERY_BEAT_SCHEDULE = {
    "outbox-requeue-stuck": {
        "task": "common.tasks.outbox_requeue_stuck",
        "schedule": timedelta(minutes=5),
    },
    "registration-expire-offers": {
        "task": "registration.tasks.expire_offers",
        "schedule": timedelta(minutes=5),
    },
    "registration-send-reminders": {
        "task": "registration.tasks.send_reminders",
        "schedule": timedelta(hours=1),
    },
    "registration-mark-no-shows": {
        "task": "registration.tasks.mark_no_shows",
        "schedule": timedelta(hours=1),
    },
    "registration-redeliver-segment-messages": {
        "task": "registration.tasks.redeliver_segment_messages",
        "schedule": timedelta(minutes=5),
    },
    "datasets-requeue-stuck-profiles": {
        "task": "datasets.tasks.requeue_stuck_profiles",
        "schedule": timedelta(minutes=5),
    },
    "submissions-requeue-stuck-validations": {
        "task": "submissions.tasks.requeue_stuck_validations",
        "schedule": timedelta(minutes=5),
    },
    "submissions-lock-at-deadline": {
        "task": "submissions.tasks.lock_due_submissions",
        "schedule": timedelta(minutes=1),
    },
    "registration-erase-sensitive-answers": {
        "task": "registration.tasks.erase_sensitive_answers",
        "schedule": timedelta(days=1),
    },
    "judging-resend-lost-results-feedback": {
        "task": "judging.tasks.resend_lost_results_feedback",
        "schedule": timedelta(minutes=5),
    },
    "feedback-send-survey-emails": {
        "task": "feedback.tasks.send_survey_emails",
        "schedule": timedelta(minutes=15),
    },
    "feedback-build-due-survey-reports": {
        "task": "feedback.tasks.build_due_survey_reports",
        "schedule": timedelta(minutes=15),
    },
}
# An outbox message still pending this long after it was queued is published again.
OUTBOX_REQUEUE_AFTER = timedelta(minutes=10)

# --- Capacity (event seats, team places; common.locking) -------------------------------
# The longest a request waits for a capacity lock before answering "busy".
CAPACITY_LOCK_TIMEOUT_MS = env.int("CAPACITY_LOCK_TIMEOUT_MS", default=2000)
# Test-only switches: the concurrency tests widen the race window and, as their negative
# control, show that without the lock capacity is exceeded.
CAPACITY_LOCKING = True
CAPACITY_RACE_DELAY = 0.0

# --- Registration ---------------------------------------------------------------------
# The current version of each text people accept (templates/legal/<kind>/<version>.html,
# published at /code-of-conduct/, /privacy/ and /photography/). A text is never edited:
# a new wording is a new file and a new version here, so each consent names what was shown.
REGISTRATION_CONSENT_VERSIONS = {
    "code_of_conduct": "2026-12",
    "privacy": "2026-12",
    "photography": "2026-12",
}
# Days after an event ends before its sensitive answers (access, dietary needs) are erased.
REGISTRATION_SENSITIVE_RETENTION_DAYS = env.int("REGISTRATION_SENSITIVE_RETENTION_DAYS", default=30)
# Days after an event ends before walk-ins' names are erased (the check-ins still count).
REGISTRATION_WALK_IN_RETENTION_DAYS = env.int("REGISTRATION_WALK_IN_RETENTION_DAYS", default=30)

# --- Teams ----------------------------------------------------------------------------
# An open help request waiting longer than this shows as stale to mentors and organisers.
TEAMS_HELP_STALE_MINUTES = env.int("TEAMS_HELP_STALE_MINUTES", default=15)

# --- Datasets -------------------------------------------------------------------------
# Spreadsheets are read whole by the profiler, so they are capped by size and by the
# cells their sheet declares, before any cell is read.
DATASETS_XLSX_MAX_BYTES = env.int("DATASETS_XLSX_MAX_BYTES", default=25 * 1024 * 1024)
DATASETS_XLSX_MAX_CELLS = env.int("DATASETS_XLSX_MAX_CELLS", default=5_000_000)
# A resource still waiting to be profiled this long after it was queued is published again.
DATASETS_PROFILE_REQUEUE_AFTER = timedelta(minutes=10)
# Profiling a large file takes longer than the default task limits allow.
DATASETS_PROFILE_SOFT_TIME_LIMIT = env.int("DATASETS_PROFILE_SOFT_TIME_LIMIT", default=240)
DATASETS_PROFILE_TIME_LIMIT = env.int("DATASETS_PROFILE_TIME_LIMIT", default=300)

# --- Submissions ----------------------------------------------------------------------
# Each uploaded file, and all of one team's files together (slides included).
SUBMISSIONS_FILE_MAX_BYTES = env.int("SUBMISSIONS_FILE_MAX_BYTES", default=100 * 1024 * 1024)
SUBMISSIONS_TOTAL_MAX_BYTES = env.int("SUBMISSIONS_TOTAL_MAX_BYTES", default=500 * 1024 * 1024)
SUBMISSIONS_MAX_ARTIFACTS = env.int("SUBMISSIONS_MAX_ARTIFACTS", default=20)
# Validation runs in a child process whose data segment (RLIMIT_DATA) is capped here, in
# MiB: a file needing more fails its "resources" check, and the worker carries on.
SUBMISSIONS_VALIDATION_MEMORY_MB = env.int("SUBMISSIONS_VALIDATION_MEMORY_MB", default=1536)
SUBMISSIONS_VALIDATION_SOFT_TIME_LIMIT = env.int(
    "SUBMISSIONS_VALIDATION_SOFT_TIME_LIMIT", default=240
)
SUBMISSIONS_VALIDATION_TIME_LIMIT = env.int("SUBMISSIONS_VALIDATION_TIME_LIMIT", default=300)
# Claims of one validation request before the artifact fails with a clear message.
SUBMISSIONS_VALIDATION_MAX_TRIES = env.int("SUBMISSIONS_VALIDATION_MAX_TRIES", default=3)
# An artifact queued or running this long is re-queued by the reaper: longer than the
# task's hard limit plus the longest a message held by a worker waits behind another
# task (tests/common/test_celery_config.py checks it).
SUBMISSIONS_VALIDATION_REQUEUE_AFTER = timedelta(
    seconds=env.int("SUBMISSIONS_VALIDATION_REQUEUE_AFTER_S", default=900)
)
# The engine's bounds (submissions.validation.limits.Limits), e.g. '{"count_threshold": 10,
# "max_zip_entries": 1000}'; the memory limit is SUBMISSIONS_VALIDATION_MEMORY_MB's.
SUBMISSIONS_VALIDATION_LIMITS = env.json("SUBMISSIONS_VALIDATION_LIMITS", default={})
# Where each validation's temporary directory is made (zip members are read into it);
# None is the system's temporary directory.
SUBMISSIONS_VALIDATION_WORKDIR = env.str("SUBMISSIONS_VALIDATION_WORKDIR", default=None)
# Test-only: seconds the engine's process waits before checking, so the worker tests can
# kill a worker in the middle of a validation (tests/worker_settings.py sets it).
SUBMISSIONS_VALIDATION_HOLD_SECONDS = 0.0

# --- Judging --------------------------------------------------------------------------
# How many judges of its room's panel each submission gets when organisers assign them.
JUDGING_JUDGES_PER_SUBMISSION = env.int("JUDGING_JUDGES_PER_SUBMISSION", default=3)

# --- Feedback -------------------------------------------------------------------------
# Survey invitations go this long after the event ends; a survey takes answers until its
# own closing date, which starts this many days after the event ends.
FEEDBACK_INVITE_DELAY = timedelta(hours=env.int("FEEDBACK_INVITE_DELAY_HOURS", default=2))
FEEDBACK_OPEN_DAYS = env.int("FEEDBACK_OPEN_DAYS", default=14)
# Reminders to people who have not answered: each this many days after the last email,
# at most this many.
FEEDBACK_REMINDER_AFTER_DAYS = env.int("FEEDBACK_REMINDER_AFTER_DAYS", default=4)
FEEDBACK_MAX_REMINDERS = env.int("FEEDBACK_MAX_REMINDERS", default=2)

# --- Security -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
# Scripts and styles only from our own files: no inline script or style anywhere, so text
# that slipped through unescaped still could not run. The API docs page adds what Swagger
# UI needs to its own response (hackathon/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own console handler would print each of its records a second time.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}
