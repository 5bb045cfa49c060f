"""Beat entries for the case deadline scan (办件电子监察) and the daily own-data message to gov.cn."""
from django.db import migrations

TASKS = [
    ("supervision: 办件时效监察", "supervision.case_deadline_scan", "interval", 3600),
    ("supervision: 向督查平台报送自有数据", "supervision.govcn_own_data", "crontab", ("45", "2")),
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
    dependencies = [("supervision", "0005_cases_leaders"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
