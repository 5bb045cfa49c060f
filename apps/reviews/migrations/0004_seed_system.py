"""Seed the dictionaries REV-10.5 names, the public column's entries (REV-10.3) and the daily
watch-list detection task."""
from django.db import migrations

DICTIONARIES = {
    ("registration_type", "注册类型"): [("natural_person", "自然人"), ("legal_person", "法人")],
    ("id_document_type", "证件类型"): [("111", "居民身份证"), ("414", "普通护照"), ("516", "港澳居民来往内地通行证"),
                                     ("511", "台湾居民来往大陆通行证"), ("001", "统一社会信用代码")],
    ("staff_category", "人员类别"): [("department_staff", "政府组成部门工作人员"), ("government_employee", "政务服务大厅政府雇员")],
    ("evaluation_level", "评价等级"): [("1", "非常满意"), ("2", "满意"), ("3", "基本满意"), ("4", "不满意"),
                                     ("5", "非常不满意")],
    ("hall_type", "大厅类型"): [("comprehensive", "综合性"), ("specialised", "专业性")],
}
COLUMNS = [("好差评首页", "/reviews/"), ("排行榜", "/reviews/board/"), ("综合排名", "/reviews/board/sections/"),
           ("明星大厅", "/reviews/rankings/halls/"), ("在线评价", "/reviews/evaluate/"), ("操作指引", "/reviews/help/")]
TASK = ("reviews: 重点监督名单自动发现", "reviews.watchlist_detect", 86400)


def seed(apps, schema_editor):
    Dictionary = apps.get_model("reviews", "ReviewDictionary")
    Entry = apps.get_model("reviews", "ReviewDictionaryEntry")
    for (code, name), entries in DICTIONARIES.items():
        dictionary, _ = Dictionary.objects.get_or_create(code=code, defaults={"name": name})
        for order, (value, label) in enumerate(entries):
            Entry.objects.get_or_create(dictionary=dictionary, value=value, defaults={"label": label, "order": order})
    Column = apps.get_model("reviews", "ReviewColumn")
    for order, (name, url) in enumerate(COLUMNS):
        Column.objects.get_or_create(name=name, defaults={"url": url, "order": order})
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    interval, _ = IntervalSchedule.objects.get_or_create(every=TASK[2], period="seconds")
    PeriodicTask.objects.update_or_create(name=TASK[0], defaults={"task": TASK[1], "queue": "sync",
                                                                 "interval": interval, "enabled": True})


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_system_and_watchlist"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(seed, unseed)]
