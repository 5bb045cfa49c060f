"""Beat entry for the nightly case-deadline sweep (pre-review timeout, supplement timeout → void)."""
from django.db import migrations

NAME, TASK = "acceptance: 预审超时与补正超时作废", "acceptance.case_deadlines"


def create(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    crontab, _ = CrontabSchedule.objects.get_or_create(minute="20", hour="0", day_of_week="*", day_of_month="*",
                                                       month_of_year="*", timezone="Asia/Shanghai")
    PeriodicTask.objects.update_or_create(name=NAME, defaults={"task": TASK, "queue": "default", "enabled": True,
                                                               "crontab": crontab})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("acceptance", "0005_onewindow_dispatch_codes"), ("acceptance", "0003_beat_schedule")]
    operations = [migrations.RunPython(create, remove)]
