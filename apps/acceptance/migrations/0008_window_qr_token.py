"""Windows get their own random QR token (window review QR codes, REV-16.x): added without the
unique constraint, filled row by row, then made unique (Django's recipe for unique fields with a
callable default)."""
from django.db import migrations, models

import apps.acceptance.models.halls


def fill_tokens(registry, schema_editor):
    Window = registry.get_model("acceptance", "Window")
    for window in Window.objects.only("pk").iterator():
        Window.objects.filter(pk=window.pk).update(qr_token=apps_token())


def apps_token():
    return apps.acceptance.models.halls.new_token()


class Migration(migrations.Migration):

    dependencies = [("acceptance", "0007_case_status_due_index")]

    operations = [
        migrations.AddField(
            model_name="window", name="qr_token",
            field=models.CharField(default=apps.acceptance.models.halls.new_token, editable=False, max_length=32,
                                   null=True, verbose_name="窗口二维码标识"),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="window", name="qr_token",
            field=models.CharField(default=apps.acceptance.models.halls.new_token, editable=False,
                                   help_text="窗口评价二维码等使用的随机标识，不可猜测。", max_length=32, unique=True,
                                   verbose_name="窗口二维码标识"),
        ),
    ]
