"""Beat entries of operations monitoring (PORTAL-7.10, 7.11, 7.13; decision 0017)."""
from django.db import migrations

ENTRIES = [
    # (name, task, every seconds)
    ("core: 接口状态监控", "core.monitoring_interfaces_check", 60),
    ("core: 前置机数据库状态监控", "core.monitoring_processors_check", 300),
    ("core: 统计程序状态监控", "core.monitoring_scheduled_tasks_check", 60),
]


def create(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    for name, task, seconds in ENTRIES:
        interval, _ = IntervalSchedule.objects.get_or_create(every=seconds, period="seconds")
        PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "queue": "monitoring",
                                                                   "enabled": True, "interval": interval})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[e[0] for e in ENTRIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0006_monitoring"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
