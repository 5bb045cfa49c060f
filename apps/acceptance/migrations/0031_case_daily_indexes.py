from django.db import migrations, models


class Migration(migrations.Migration):
    """Daily case counts (PORTAL-7.6) read the cases submitted / accepted in a date range."""

    dependencies = [
        ("acceptance", "0030_forms"),
    ]

    operations = [
        migrations.AddIndex(model_name="case",
                            index=models.Index(fields=["submitted_at"], name="acc_case_submitted_idx")),
        migrations.AddIndex(model_name="case",
                            index=models.Index(fields=["accepted_at"], name="acc_case_accepted_idx")),
    ]
