import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govplatform.settings.prod")

from apps.core.wsgi import get_wsgi_application  # noqa: E402 — after the settings module is chosen

# Django's handler, with server-to-server token endpoints on a slimmer middleware chain (decision 0015)
application = get_wsgi_application()
