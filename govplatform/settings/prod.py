from .base import *  # noqa: F401,F403
from .base import SECRET_KEY

if SECRET_KEY.startswith("dev-insecure"):
    raise RuntimeError("Set SECRET_KEY in the environment for production.")
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
