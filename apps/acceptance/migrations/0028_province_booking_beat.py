"""Beat entry for the provincial appointment-interface sweep (ACC-0.7), every minute."""
from django.db import migrations

NAME, TASK = "acceptance: 省平台预约上报", "acceptance.province_booking_sweep"


def create(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    crontab, _ = CrontabSchedule.objects.get_or_create(minute="*", hour="*", day_of_week="*", day_of_month="*",
                                                       month_of_year="*", timezone="Asia/Shanghai")
    PeriodicTask.objects.update_or_create(name=NAME, defaults={"task": TASK, "queue": "default", "enabled": True,
                                                               "crontab": crontab})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("acceptance", "0027_province_booking_reports"), ("acceptance", "0026_attachment_purge_beat")]
    operations = [migrations.RunPython(create, remove)]
