"""Built-in calendar labels (weekend, statutory holiday) and the default blacklist rule."""
from django.db import migrations


def seed(apps, schema_editor):
    label = apps.get_model("acceptance", "CalendarLabel")
    for kind, name, colour in (("weekend", "周末", "#6c757d"), ("holiday", "国家法定节假日", "#d9534f")):
        label.objects.get_or_create(kind=kind, is_builtin=True, defaults={"name": name, "colour": colour})
    rule = apps.get_model("acceptance", "BlacklistRule")
    rule.objects.get_or_create(name="当月失约超过三次", defaults={
        "no_show_period": "calendar_month", "no_show_count": 4, "restriction_days": 30,
        "no_show_behaviour": "预约后未签到取号"})


class Migration(migrations.Migration):
    dependencies = [("acceptance", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
