"""Seed rows: national levels' tags and indicators, settings, quality rules, open interfaces, beat tasks."""
from django.db import migrations

LEVEL_TAGS = {
    1: ["服务热情周到", "办理高效快捷", "一次办好"],
    2: ["服务态度好", "办理及时", "材料清楚"],
    3: ["基本满足需求", "等待时间稍长"],
    4: ["服务态度差", "办理时间长", "材料要求不清楚", "多次跑腿"],
    5: ["推诿扯皮", "态度恶劣", "吃拿卡要", "办事不公开"],
}
KINDS = ["case", "matter", "service_guide", "hall", "window", "staff"]
GUIDE_L2 = {1: ["办事指南清晰", "材料模板易用", "办理情形准确", "申请流程合理"],
            2: ["指南较清晰", "模板可用", "情形基本准确", "流程较合理"],
            3: ["指南基本清晰", "模板基本可用", "情形基本覆盖", "流程基本合理"],
            4: ["指南不清晰", "模板难用", "情形不准确", "流程不合理"],
            5: ["指南错误", "无材料模板", "情形缺失", "流程繁琐"]}
ASPECTS = ["infrastructure", "quality", "operation", "innovation"]
ASPECT_NAMES = ["基础设施建设", "政务服务质效", "运行管理能力", "创新优化特色"]
TASKS = [
    ("reviews: 统计汇总增量刷新", "reviews.aggregate_pending", 60),
    ("reviews: 质量规则定期执行", "reviews.quality_scheduled", 3600),
    ("reviews: 办结未评价短信提醒", "reviews.reminders", 3600),
    ("reviews: 默认评价", "reviews.defaults", 3600),
    ("reviews: 整改时效监察", "reviews.deadline_scan", 3600),
    ("reviews: 国家质检结果获取", "reviews.national_checks", 1800),
]


def seed(apps, schema_editor):
    Tag = apps.get_model("reviews", "EvaluationTag")
    Indicator = apps.get_model("reviews", "EvaluationIndicator")
    code = 0
    for kind in KINDS:
        for level, names in LEVEL_TAGS.items():
            for name in names:
                code += 1
                Tag.objects.create(object_kind=kind, level=level, name=name, national_code=f"GB{code:04d}")
    for level, names in GUIDE_L2.items():
        for i, name in enumerate(names):
            for kind in ("matter", "service_guide"):
                Indicator.objects.create(object_kind=kind, level=level, name=name, order=i, source="national")
    for level in range(1, 6):
        for i, (aspect, name) in enumerate(zip(ASPECTS, ASPECT_NAMES)):
            Indicator.objects.create(object_kind="hall", level=level, name=name, aspect=aspect, order=i)
        for kind, names in (("case", ["办事效率", "服务态度", "办理结果", "便利程度"]),
                            ("window", ["服务态度", "业务能力", "办事效率", "窗口环境"]),
                            ("staff", ["服务态度", "专业程度", "办事效率", "易懂程度"])):
            for i, name in enumerate(names):
                Indicator.objects.create(object_kind=kind, level=level, name=name, order=i,
                                         source="national" if kind == "case" else "provincial",
                                         national_code=f"N{kind[:2].upper()}{level}{i}" if kind == "case" else "")
    apps.get_model("reviews", "EvaluationSettings").objects.get_or_create(pk=1)
    Rule = apps.get_model("reviews", "EvaluationQualityRule")
    Rule.objects.create(name="3分钟内重复评价", kind="short_interval", parameters={"minutes": 3}, schedule="daily")
    Rule.objects.create(name="非工作时间评价", kind="outside_hours",
                        parameters={"start": "08:00", "end": "18:00"}, schedule="daily")
    Rule.objects.create(name="评价内容含敏感词", kind="unreasonable_content", schedule="on_event")
    Interface = apps.get_model("reviews", "OpenInterface")
    for category, path in (("indicator_fetch", "/api/v1/reviews/open/indicators/"),
                           ("evaluation_upload", "/api/v1/reviews/open/evaluations/"),
                           ("evaluation_download", "/api/v1/reviews/open/evaluations/download/"),
                           ("feedback_upload", "/api/v1/reviews/open/feedback/")):
        Interface.objects.create(category=category, service_address=path, service_port=443)
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    for name, task, every in TASKS:
        interval, _ = IntervalSchedule.objects.get_or_create(every=every, period="seconds")
        PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "queue": "sync",
                                                                   "interval": interval, "enabled": True})


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[t[0] for t in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(seed, unseed)]
