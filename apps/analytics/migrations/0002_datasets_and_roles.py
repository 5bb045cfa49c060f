"""The 21 topic datasets of ANA-1.1.a–u and the two roles of ANA-1.2 (analyst, analytics administrator)."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

ANALYST = ("view_charts", "view_topicdataset", "view_topicfact", "view_datalog", "view_embedclient",
           "view_visitcount")
ADMINISTRATOR = ANALYST + ("refresh_topicdataset", "change_topicdataset", "add_embedclient", "change_embedclient",
                           "view_visitbatch")


def forwards(apps, schema_editor):
    from apps.analytics.topics import TOPICS

    TopicDataset = apps.get_model("analytics", "TopicDataset")
    for spec in TOPICS.values():
        TopicDataset.objects.get_or_create(code=spec.code, defaults={
            "name": spec.name, "english_name": spec.english_name, "category": str(spec.category),
            "source": spec.source_label})
    config = apps.get_app_config("analytics")
    config.models_module = True                  # the migration state's app config has none
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Role = apps.get_model("identity", "Role")
    for code, name, description, codenames in (
            ("analytics_analyst", "数据分析员", "查看综合展示分析图、专题库与数据日志（ANA-1.2）。", ANALYST),
            ("analytics_admin", "数据分析管理员", "数据分析系统全部功能：刷新专题库、管理可视化调取客户端（ANA-1.2）。",
             ADMINISTRATOR)):
        role, _created = Role.objects.get_or_create(code=code, defaults={"name": name, "description": description})
        role.permissions.add(*Permission.objects.filter(content_type__app_label="analytics", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial"), ("identity", "0012_user_kind_joined_index"),
                    ("auth", "0012_alter_user_first_name_max_length"), ("contenttypes", "0002_remove_content_type_name")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
