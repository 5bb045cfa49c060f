"""Settings shared by every environment. Every environment variable is read through
`config()` so that docs/environment.md can be generated from the calls (manage.py envdoc)."""
from pathlib import Path

from celery.schedules import crontab

import environ

from govplatform.settings.envdoc import config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
_env = environ.Env()

SECRET_KEY = config("SECRET_KEY", "dev-insecure-key-change-me", "Django secret key; required in production.")
DEBUG = config("DEBUG", False, "Django debug mode.", cast=bool)
ALLOWED_HOSTS = config("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]", "Comma-separated host names.", cast=list)
TRUSTED_PROXIES = config("TRUSTED_PROXIES", "127.0.0.1/32,::1/128",
                         "Reverse proxies whose X-Forwarded-For is trusted (CIDR list).", cast=list)
CSRF_TRUSTED_ORIGINS = config("CSRF_TRUSTED_ORIGINS", "", "Comma-separated origins for CSRF.", cast=list)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_celery_beat",
    "oauth2_provider",
    "apps.core",
    "apps.identity",
    "apps.matters",
    "apps.licences",
    "apps.acceptance",
    "apps.supervision",
    "apps.reviews",
    "apps.stores",
    "apps.servicemap",
    "apps.mobile",
    "apps.analytics",
    "apps.ops",
    "apps.portal",
    "apps.public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # after an administrator initialised a password, every page leads to the change page (MAT-7.6)
    "apps.identity.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.core.middleware.RequestContextMiddleware",
]

# Server-to-server endpoints (a department system's token and user-info calls) run MIDDLEWARE without
# the browser-only middleware below (apps.core.wsgi, decision 0015); the Django test client and
# every other path run the whole chain.
BACKCHANNEL_URL_NAMES = ["sso:oidc-token", "sso:oidc-userinfo", "sso:ticket-token", "sso:ticket-userinfo"]
BACKCHANNEL_SKIPPED_MIDDLEWARE = [
    "whitenoise.middleware.WhiteNoiseMiddleware",           # static files only
    "django.middleware.locale.LocaleMiddleware",            # JSON for machines: the default language
    "django.middleware.csrf.CsrfViewMiddleware",            # the views are CSRF-exempt (checked at start-up)
    "apps.identity.middleware.PasswordChangeRequiredMiddleware",   # a logged-in browser user's redirect
    "django.contrib.messages.middleware.MessageMiddleware",  # no pages, no flash messages
]

ROOT_URLCONF = "govplatform.urls"
WSGI_APPLICATION = "govplatform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": _env.db_url_config(
        config("DATABASE_URL", "postgresql://govplatform:govplatform@127.0.0.1:5432/govplatform",
               "PostgreSQL URL; `make run`/`make test` set it to the embedded server.")
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = config("DB_CONN_MAX_AGE", 60, "Persistent DB connection seconds.", cast=int)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # the same backend, whose health check polls the socket instead of a SELECT 1 round trip (decision 0014)
    DATABASES["default"]["ENGINE"] = "apps.core.dbbackend"

REDIS_URL = config("REDIS_URL", "redis://127.0.0.1:6379", "Redis server (Celery broker, cache).")
CACHES = {
    "default": {
        "BACKEND": "apps.core.cache.ResilientRedisCache",   # Redis down = cache miss, not a 500
        "LOCATION": f"{REDIS_URL}/2",
    }
}
# Sessions are read from the cache and written through to PostgreSQL: a page costs no session query,
# and a Redis restart or outage loses no session (decision 0009).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = [
    "apps.identity.backends.RolePermissionBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "public:login"
LOGIN_REDIRECT_URL = "portal:home"
# django-guardian is used for explicit object grants only; no synthetic "AnonymousUser" account.
ANONYMOUS_USER_NAME = None
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(config("MEDIA_ROOT", str(BASE_DIR / "var" / "media"), "Where uploaded and generated files live."))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "apps.identity.authentication.ScopedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "黑龙江省一体化在线政务服务平台 API",
    "DESCRIPTION": "REST API for the province's app, mini-programs and department systems.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI assets are served from our own static files (no CDN: intranet deployments).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Group operations by resource (/api/v1/<app>/<resource>/ → tag "<resource>").
    "SCHEMA_PATH_PREFIX": r"/api/v1/[a-z-]+",
    "ENUM_NAME_OVERRIDES": {
        "OrganisationChangeKindEnum": "apps.core.models.org_changes.ChangeKind",
        "OrganisationKindEnum": "apps.core.models.organisations.OrganisationKind",
        "UserKindEnum": "apps.identity.models.UserKind",
        "UserKindValuesEnum": ["staff", "natural_person", "legal_person"],
        "StoreLevelEnum": "apps.stores.models.stores.StoreLevel",
    },
}

CELERY_BROKER_URL = f"{REDIS_URL}/0"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# An unreachable broker fails a send within seconds (the row is committed first; beat sweeps catch up).
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "core.outbox_sweep", "schedule": 30.0},
    "licences-seals-expire-due": {"task": "licences.seals_expire_due", "schedule": crontab(minute=5)},
    # safety net of the queued bookings: the first admission after an idle spell also starts it (decision 0405)
    "acceptance-booking-persist": {"task": "acceptance.booking_persist", "schedule": 5.0},
    "licences-seal-batch-resume": {"task": "licences.seal_batch_resume", "schedule": 60.0},
    "analytics-topic-refresh-nightly": {"task": "analytics.topic_refresh_nightly", "schedule": crontab(hour=2, minute=30)},
    "ops-work-orders-remind-overdue": {"task": "ops.work_orders_remind_overdue", "schedule": 300.0},
    "ops-websites-probe": {"task": "ops.websites_probe", "schedule": 300.0},
    "ops-log-retention-purge": {"task": "ops.log_retention_purge", "schedule": crontab(hour=3, minute=20)},
}
CELERY_TASK_DEFAULT_QUEUE = "default"
# Slow or sensitive work gets its own queue (the dev worker listens on all of them, Procfile.dev).
CELERY_TASK_ROUTES = {"licences.seal_batch": {"queue": "signing"}, "licences.seal_batch_resume": {"queue": "signing"},
                      "acceptance.booking_persist": {"queue": "booking"}}
# Queued bookings (decision 0405): a Redis whose streams survive a restart (appendonly yes, appendfsync
# everysec in production); one instance, not Redis Cluster (the admission script touches several keys).
ACCEPTANCE_BOOKING_REDIS_URL = config("ACCEPTANCE_BOOKING_REDIS_URL", f"{REDIS_URL}/3",
                                      "Redis holding the booking admission counters and request stream.")
ACCEPTANCE_PROVINCE_BOOKING_URL = config(
    "ACCEPTANCE_PROVINCE_BOOKING_URL", "", "Provincial integrated platform's appointment interface (ACC-0.7); empty = "
    "booking states are not reported.")
ACCEPTANCE_ATTACHMENT_RETENTION_YEARS = config("ACCEPTANCE_ATTACHMENT_RETENTION_YEARS", 30,
                                               "Years case attachments are kept before the nightly purge.", cast=int)
ACCEPTANCE_COURIER_URL = config("ACCEPTANCE_COURIER_URL", "", "Courier (logistics) service base URL for express "
                                "issuance (ACC-10.8); empty = waybill numbers entered by hand.")
ANALYTICS_SEAL_EXPIRY_DAYS = config("ANALYTICS_SEAL_EXPIRY_DAYS", 30, "Days before its expiry from which a valid "
                                    "seal counts as about to expire (ANA-1.1.l, chart 2.8).", cast=int)
ANALYTICS_VISIT_RATE_DAYS = config("ANALYTICS_VISIT_RATE_DAYS", 30, "Days of visit counts the matter visit-rate "
                                   "analysis (ANA-1.1.g) covers.", cast=int)

# Sensitive-field encryption (SM4) and lookup digests (keyed SM3). Hex, 32 chars each.
FIELD_ENCRYPTION_KEY = config("FIELD_ENCRYPTION_KEY", "00112233445566778899aabbccddeeff",
                              "SM4 key (32 hex chars) for ID and phone numbers at rest.")
FIELD_DIGEST_KEY = config("FIELD_DIGEST_KEY", "ffeeddccbbaa99887766554433221100",
                          "Key (hex) for the SM3 HMAC lookup digests of sensitive fields.")
FIELD_ENCRYPTION_KEYS_PREVIOUS = config(
    "FIELD_ENCRYPTION_KEYS_PREVIOUS", "",
    "Comma-separated retired SM4 keys (hex), still accepted for reading until `manage.py rotate_field_keys` "
    "has re-encrypted every row with FIELD_ENCRYPTION_KEY (docs/decisions/0006-field-key-rotation.md).",
    cast=list)

PUBLIC_BASE_URL = config("PUBLIC_BASE_URL", "http://127.0.0.1:8000",
                         "Absolute URL of the public site, prefixed to links sent by SMS (review reminders).")
REVIEWS_NATIONAL_URL = config("REVIEWS_NATIONAL_URL", "http://127.0.0.1:8051",
                              "National 好差评 system base URL; the default is the simulator of `make run`.")
REVIEWS_HOTLINE_URL = config("REVIEWS_HOTLINE_URL", "http://127.0.0.1:8052",
                             "Provincial 12345 hotline base URL; the default is the simulator of `make run`.")
REVIEWS_MATTER_LIBRARY_URL = config("REVIEWS_MATTER_LIBRARY_URL", "http://127.0.0.1:8053",
                                    "Item library (事项库) satisfaction write-back (REV-21.1; simulator in make run).")
IDENTITY_STAFF_TOTP_ENFORCED = config("IDENTITY_STAFF_TOTP_ENFORCED", True,
                                      "Privileged staff give a TOTP code after their password (decision 0214).",
                                      cast=bool)
IDENTITY_STAFF_TOTP_ROLES = config("IDENTITY_STAFF_TOTP_ROLES", "system_admin",
                                   "Comma-separated role codes whose holders must use TOTP (superusers always do).",
                                   cast=list)
FRONTEND_CASE_TABLE = config("FRONTEND_CASE_TABLE", "gov_exchange.case_record",
                             "Case exchange table on every front-end processor database, read by the portal's "
                             "前置机办件统计 (PORTAL-7.3).")
STORES_QUERY_SOURCE_URL = config("STORES_QUERY_SOURCE_URL", "http://127.0.0.1:8075",
                                 "Data-exchange gateway answering the flagship store's 95 query services (STORE-3.x); "
                                 "the default is the simulator of `make run`.")
STORES_QUERY_RATE_PER_MINUTE = config("STORES_QUERY_RATE_PER_MINUTE", 30,
                                      "Query-service calls one account (or address) may make per minute.", cast=int)
SUPERVISION_GOVCN_SECRET = config("SUPERVISION_GOVCN_SECRET", "govcn-simulator-secret",
                                  "HMAC key shared with the 中国政府网 supervision platform (set in production).")

SMS_GATEWAY_URL = config("SMS_GATEWAY_URL", "", "SMS gateway base URL; empty means http://127.0.0.1:8025, "
                         "the simulator that `make run` starts (Procfile.dev).")
SMS_GATEWAY_ACCOUNT = config("SMS_GATEWAY_ACCOUNT", "hlj-govplatform", "SMS gateway account.")
SMS_GATEWAY_SECRET = config("SMS_GATEWAY_SECRET", "simulator-secret", "SMS gateway shared secret.")
MATTERS_NATIONAL_PLATFORM_URL = config("MATTERS_NATIONAL_PLATFORM_URL", "",
                                       "National platform matter interface; empty means the simulator on "
                                       "http://127.0.0.1:8026 (make run).")
MATTERS_ITEM_LIBRARY_URL = config("MATTERS_ITEM_LIBRARY_URL", "http://127.0.0.1:8027",
                                  "Original item library (原事项库): organisation-sync results (MAT-7.7).")
MATTERS_POWER_LIST_URL = config("MATTERS_POWER_LIST_URL", "http://127.0.0.1:8028",
                                "Power-and-responsibility list owner (权责清单系统): entries and links (MAT-7.8).")
SUPERVISION_NATIONAL_URL = config("SUPERVISION_NATIONAL_URL", "http://127.0.0.1:8032",
                                  "National platform complaint interface (simulator in make run).")
SUPERVISION_GOVCN_URL = config("SUPERVISION_GOVCN_URL", "http://127.0.0.1:8031",
                               "中国政府网督查平台 data-exchange interface (simulator in make run).")
IDENTITY_CITY_PLATFORM_URL = config("IDENTITY_CITY_PLATFORM_URL", "",
                                    "City platforms' region/department data service (IDN-11.1/11.2 import).")
IDENTITY_NATIONAL_DIRECTORY_URL = config("IDENTITY_NATIONAL_DIRECTORY_URL", "",
                                         "National platform directory service: confirmed city data (IDN-11.1/11.2).")
IDENTITY_MATTERS_ORG_SYNC_URL = config("IDENTITY_MATTERS_ORG_SYNC_URL", "",
                                       "Matters' organisation-change receiver (/api/v1/matters/org-changes).")
IDENTITY_MATTERS_ORG_SYNC_TOKEN = config("IDENTITY_MATTERS_ORG_SYNC_TOKEN", "",
                                         "API token of a service account holding matters.add_organisationchange.")
IDENTITY_TOKEN_SYNCHRONOUS_COMMIT = config("IDENTITY_TOKEN_SYNCHRONOUS_COMMIT", False,
                                           "Token issuance commits durably (decision 0208).", cast=bool)
MATTERS_NATIONAL_LIBRARY_URL = config("MATTERS_NATIONAL_LIBRARY_URL", "",
                                      "National item library: other provinces' elements (MAT-5.2.1); empty means "
                                      "the simulator on http://127.0.0.1:8029.")
REVIEWS_NATIONAL_CERT_KEY_FUNCTION = config("REVIEWS_NATIONAL_CERT_KEY_FUNCTION", "",
                                            "Dotted path of the national identity hash (ID/USCC + name → certKey); "
                                            "empty means the SM3 stand-in.")
LICENCES_SEAL_PLATFORM_URL = config("LICENCES_SEAL_PLATFORM_URL", "http://127.0.0.1:8062",
                                    "Provincial e-seal platform: seal makers, seal production (simulator in make run).")
LICENCES_SEAL_BATCH_SILENT_SECONDS = config(
    "LICENCES_SEAL_BATCH_SILENT_SECONDS", 120.0, "A batch seal job silent this long (no progress) is taken as lost "
    "with its worker and re-queued; each licence reports progress, so this is far above one licence's sealing.",
    cast=float)
OUTBOX_MAX_ATTEMPTS = config("OUTBOX_MAX_ATTEMPTS", 8, "Delivery attempts before an outbox message is dead.", cast=int)
OUTBOX_BACKOFF_SECONDS = config("OUTBOX_BACKOFF_SECONDS", 2.0, "Base of the outbox retry backoff, seconds.",
                                cast=float)
PEER_TIMEOUT_SECONDS = config("PEER_TIMEOUT_SECONDS", 5.0, "Timeout of every outbound HTTP call.", cast=float)
# Operations monitoring (PORTAL-7.10-7.13, decision 0017, docs/monitoring.md).
MONITORING_REDIS_URL = config("MONITORING_REDIS_URL", f"{REDIS_URL}/4", "Redis holding the per-interface call "
                              "counters (one pipelined write per outbound call; losing them loses minutes of metrics).")
MONITORING_WINDOW_MINUTES = config("MONITORING_WINDOW_MINUTES", 5, "Minutes of calls an interface's status is judged "
                                   "on.", cast=int)
MONITORING_MIN_CALLS = config("MONITORING_MIN_CALLS", 3, "Calls in the window before a failure rate counts.", cast=int)
MONITORING_DEGRADED_FAILURE_RATE = config("MONITORING_DEGRADED_FAILURE_RATE", 0.2, "Failure share at which an "
                                          "interface is degraded.", cast=float)
MONITORING_DOWN_FAILURE_RATE = config("MONITORING_DOWN_FAILURE_RATE", 0.8, "Failure share at which an interface is "
                                      "down.", cast=float)
MONITORING_SLOW_LATENCY_MS = config("MONITORING_SLOW_LATENCY_MS", 2000, "Average call time (ms) in the window at "
                                    "which an interface is degraded.", cast=int)
MONITORING_BACKLOG_AGE_SECONDS = config("MONITORING_BACKLOG_AGE_SECONDS", 600, "Age of an interface's oldest "
                                        "undelivered outbox message at which it is degraded.", cast=int)
MONITORING_TASK_OVERDUE_GRACE_SECONDS = config("MONITORING_TASK_OVERDUE_GRACE_SECONDS", 300, "A scheduled task whose "
                                               "next run is late by more than this is overdue.", cast=int)
OPS_SYSLOG_BIND = config("OPS_SYSLOG_BIND", "0.0.0.0", "Address the ops Syslog receiver (manage.py "
                         "ops_syslog_receiver) listens on; \"::\" for IPv6 dual stack.")
OPS_SYSLOG_PORT = config("OPS_SYSLOG_PORT", 5514, "UDP port of the ops Syslog receiver (514 needs root).", cast=int)
OPS_INTERNAL_NETWORKS = config("OPS_INTERNAL_NETWORKS", "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7",
                               "Comma-separated networks that are the platform's own: they decide whether an alert "
                               "is an external attack, an outbound connection or lateral movement.", cast=list)
OPS_WORK_ORDER_DUE_HOURS = config("OPS_WORK_ORDER_DUE_HOURS", 24, "Default hours until a new ops work "
                                  "order's overdue reminder.", cast=int)
OPS_PROBE_TIMEOUT_SECONDS = config("OPS_PROBE_TIMEOUT_SECONDS", 5.0, "Timeout of one website availability probe.",
                                   cast=float)
EXPORT_SYNC_LIMIT = config("EXPORT_SYNC_LIMIT", 2000, "Rows above which an Excel export becomes a job.", cast=int)

# OpenID Connect provider for department systems (apps.identity, IDN-6.1 / 9.x); the identity app
# owns these values and documents them in docs/identity.md.
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "CLIENT_SECRET_HASHER": "hmac_sm3_secret",     # high-entropy secrets: salted HMAC-SM3 (decision 0208)
    "PKCE_REQUIRED": False,
    "SCOPES": {"openid": "OpenID Connect", "profile": "基本信息", "phone": "手机号码", "real_name": "实名等级"},
    # short-lived access tokens, refresh tokens rotate and a used one is refused at once (decision 0206)
    "ACCESS_TOKEN_EXPIRE_SECONDS": 600,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "OAUTH2_VALIDATOR_CLASS": "apps.identity.sso.validator.IdentityOAuth2Validator",
    # 256-bit secrets.token_urlsafe values on every path, the library's included (decision 0211)
    "ACCESS_TOKEN_GENERATOR": "apps.identity.sso.tokens.token_value",
    "REFRESH_TOKEN_GENERATOR": "apps.identity.sso.tokens.token_value",
    "OIDC_RSA_PRIVATE_KEY": config("OIDC_RSA_PRIVATE_KEY", "", "PEM RSA key signing OIDC ID tokens (required in "
                                   "production; dev settings create one in var/)."),
    "OIDC_ISS_ENDPOINT": config("OIDC_ISSUER", "http://127.0.0.1:8000/sso/o", "OIDC issuer URL."),
}
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "apps.identity.hashers.ClientSecretHasher",   # OIDC client secrets only; never first
    "apps.identity.hashers.ClientSecretSm3Hasher",  # OIDC client secrets (decision 0208); never first
]
# Certificate login (IDN-1.3.8): PEM files of the CAs whose user certificates are accepted.
IDENTITY_TRUSTED_CA_CERTIFICATES = [
    Path(path).read_text() for path in config(
        "IDENTITY_TRUSTED_CA_FILES", "", "Comma-separated PEM files of CAs trusted for certificate login.",
        cast=list)
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Quan Sheng Shi mobile platform (apps/mobile, docs/mobile.md).
MOBILE_GATEWAY_PUBLIC_URL = config(
    "MOBILE_GATEWAY_PUBLIC_URL", "http://127.0.0.1:8000/api/v1/mobile/gateway",
    "Internet-facing base URL of the mobile interface gateway; a mounted resource's converted internet address "
    "is this URL plus its resource code (APP-3.4).")
MOBILE_PUSH_URL = config("MOBILE_PUSH_URL", "http://127.0.0.1:8076",
                         "Unified push channel of the 全省事 apps (message component, APP-2.4); the default is the "
                         "simulator of `make run`.")
MOBILE_POLL_SECONDS = config("MOBILE_POLL_SECONDS", 300,
                             "Seconds between two polling cycles of listed apps and their interfaces (APP-7).",
                             cast=int)
CELERY_BEAT_SCHEDULE["mobile-poll-apps"] = {"task": "mobile.poll_apps", "schedule": float(MOBILE_POLL_SECONDS)}
CELERY_TASK_ROUTES["mobile.poll_apps"] = {"queue": "monitoring"}
