"""The four service themes the tender names (MAP-2.5); editable afterwards in the admin."""
from django.db import migrations

THEMES = [("halls", "办事大厅", True, 10), ("traffic", "交通管控", False, 20), ("medical", "医疗卫生", False, 30),
          ("education", "教育资源", False, 40)]


def forwards(apps, schema_editor):
    Theme = apps.get_model("servicemap", "Theme")
    for code, name, is_halls, order in THEMES:
        Theme.objects.get_or_create(code=code, defaults={"name": name, "is_halls": is_halls, "display_order": order})


class Migration(migrations.Migration):
    dependencies = [("servicemap", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
