"""Beat entry of the courier tracking sync (ACC-10.8), every 15 minutes (editable by admins)."""
from django.db import migrations

NAME = "acceptance: 物流轨迹同步"


def create(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    crontab, _ = CrontabSchedule.objects.get_or_create(minute="*/15", hour="*", day_of_week="*", day_of_month="*",
                                                       month_of_year="*", timezone="Asia/Shanghai")
    PeriodicTask.objects.update_or_create(name=NAME, defaults={"task": "acceptance.courier_sync", "queue": "default",
                                                               "enabled": True, "crontab": crontab})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("acceptance", "0022_channels_warning_plans"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
