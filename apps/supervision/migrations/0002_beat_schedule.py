"""Periodic tasks of supervision in django-celery-beat's database scheduler (editable by admins)."""
from django.db import migrations

TASKS = [
    # name, task, kind, schedule
    ("supervision: 获取国家政务平台待办投诉", "supervision.national_fetch", "interval", 300),
    ("supervision: 获取督查平台下行数据", "supervision.govcn_fetch", "interval", 120),
    ("supervision: 投诉时效监察", "supervision.deadline_scan", "interval", 3600),
    ("supervision: 督查平台每日数据对账", "supervision.govcn_reconcile", "crontab", ("30", "2")),
]


def create(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    for name, task, kind, schedule in TASKS:
        defaults = {"task": task, "queue": "sync", "enabled": True}
        if kind == "interval":
            defaults["interval"], _ = IntervalSchedule.objects.get_or_create(every=schedule, period="seconds")
        else:
            minute, hour = schedule
            defaults["crontab"], _ = CrontabSchedule.objects.get_or_create(
                minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*",
                timezone="Asia/Shanghai")
        PeriodicTask.objects.update_or_create(name=name, defaults=defaults)


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[name for name, *_ in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
