"""Beat entry: the automatic registration review every 24 hours (IDN-5.2)."""
from django.db import migrations

NAME, TASK = "identity: 注册用户自动审核（每24小时）", "identity.auto_review"


def create(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    every, _ = IntervalSchedule.objects.get_or_create(every=24, period="hours")
    PeriodicTask.objects.update_or_create(name=NAME, defaults={"task": TASK, "queue": "default", "enabled": True,
                                                               "interval": every, "crontab": None})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("identity", "0005_seed_api_endpoints_business_controls"),
                    ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
