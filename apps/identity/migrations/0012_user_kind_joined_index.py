from django.db import migrations, models


class Migration(migrations.Migration):
    """Daily user counts (PORTAL-7.8) read registrations of a kind in a date range."""

    dependencies = [
        ("identity", "0011_city_data_reports"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="user",
            index=models.Index(fields=["kind", "date_joined"], name="identity_user_kind_joined_idx"),
        ),
    ]
