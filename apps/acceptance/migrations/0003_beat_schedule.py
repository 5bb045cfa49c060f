"""Periodic tasks of acceptance in django-celery-beat's database scheduler (editable by admins)."""
from django.db import migrations

TASKS = [
    ("acceptance: 失约判定与黑名单", "acceptance.appointments_close_day", ("10", "0")),
    ("acceptance: 黑名单到期解除", "acceptance.blacklist_release", ("5", "*")),
]


def create(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    for name, task, (minute, hour) in TASKS:
        crontab, _ = CrontabSchedule.objects.get_or_create(minute=minute, hour=hour, day_of_week="*",
                                                           day_of_month="*", month_of_year="*",
                                                           timezone="Asia/Shanghai")
        PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "queue": "default",
                                                                   "enabled": True, "crontab": crontab})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[name for name, *_ in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("acceptance", "0002_defaults"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
