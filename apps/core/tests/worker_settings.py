"""Settings of the real Celery worker that test_celery_worker.py starts: the test settings
with tasks actually queued (not run eagerly). DATABASE_URL / REDIS_URL / SMS_GATEWAY_URL
come from the environment the test sets."""
from govplatform.settings.test import *  # noqa: F401,F403

CELERY_TASK_ALWAYS_EAGER = False
