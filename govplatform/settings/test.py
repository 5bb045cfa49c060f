from .base import *  # noqa: F401,F403
from .envdoc import config

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "apps.identity.hashers.ClientSecretHasher",
                    "apps.identity.hashers.ClientSecretSm3Hasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests run Celery tasks eagerly; tests that start a real worker subprocess set CELERY_TASK_ALWAYS_EAGER=0.
CELERY_TASK_ALWAYS_EAGER = config("CELERY_TASK_ALWAYS_EAGER", True, "Run Celery tasks inline (tests only).", cast=bool)
CELERY_TASK_EAGER_PROPAGATES = False
# Tests log privileged users in through the pages; the TOTP tests switch this on (apps/portal/tests/test_totp.py).
IDENTITY_STAFF_TOTP_ENFORCED = False
