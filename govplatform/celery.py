"""Celery application: broker and beat settings come from Django settings (CELERY_*)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govplatform.settings.dev")

app = Celery("govplatform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
