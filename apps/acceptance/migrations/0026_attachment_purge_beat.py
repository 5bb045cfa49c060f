"""Beat entry for the nightly attachment retention purge (ACC-18.0)."""
from django.db import migrations

NAME, TASK = "acceptance: 附件保存期限清理", "acceptance.attachments_purge"


def create(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    crontab, _ = CrontabSchedule.objects.get_or_create(minute="30", hour="2", day_of_week="*", day_of_month="*",
                                                       month_of_year="*", timezone="Asia/Shanghai")
    PeriodicTask.objects.update_or_create(name=NAME, defaults={"task": TASK, "queue": "default", "enabled": True,
                                                               "crontab": crontab})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("acceptance", "0025_attachments"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
