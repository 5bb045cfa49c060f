"""Menu entries, inbox providers and outbox peers of matters (imported by MattersConfig.ready)."""
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import MenuEntry, register_inbox, register_menu
from apps.core.outbox import register_peer
from apps.matters.adapters.item_library import send_org_sync_result, send_power_list
from apps.matters.adapters.national_platform import send_to_national_platform

SECTION = str(_("事项管理"))

register_menu(
    MenuEntry(SECTION, str(_("目录清单")), "matters:catalogue-list", "matters.view_catalogueitem", 10, 30),
    MenuEntry(SECTION, str(_("多级目录")), "matters:catalogue-tree", "matters.view_catalogueitem", 15, 30),
    MenuEntry(SECTION, str(_("实施清单")), "matters:implementation-list", "matters.view_implementationitem", 20, 30),
    MenuEntry(SECTION, str(_("事项申报")), "matters:catalogue-declare", "matters.add_catalogueitem", 30, 30),
    MenuEntry(SECTION, str(_("变更审核")), "matters:change-list", "matters.view_changerequest", 40, 30),
    MenuEntry(SECTION, str(_("事项统计")), "matters:statistics", "matters.view_implementationitem", 50, 30),
    MenuEntry(SECTION, str(_("事项信息汇总统计")), "matters:summary", "matters.view_implementationitem", 49, 30),
    MenuEntry(SECTION, str(_("省直单位事项统计")), "matters:provincial-statistics", "matters.view_implementationitem",
              51, 30),
    MenuEntry(SECTION, str(_("下放跟踪")), "matters:delegation-tracking", "matters.view_delegation", 60, 30),
    MenuEntry(SECTION, str(_("联动告知")), "matters:notifications", None, 70, 30),
    MenuEntry(SECTION, str(_("质量检测")), "matters:quality-report", "matters.view_qualityissue", 80, 30),
    MenuEntry(SECTION, str(_("事项标签")), "matters:tag-list", "matters.add_mattertag", 85, 30),
    MenuEntry(SECTION, str(_("变更监控")), "matters:monitoring", "matters.view_implementationitem", 86, 30),
    MenuEntry(SECTION, str(_("优化分析")), "matters:optimisation", "matters.view_optimisationproposal", 87, 30),
    MenuEntry(SECTION, str(_("资源汇总分析")), "matters:resources", "matters.view_implementationitem", 88, 30),
    MenuEntry(SECTION, str(_("知识库")), "matters:knowledge", None, 89, 30),
    MenuEntry(SECTION, str(_("政策管理")), "matters:policies", "matters.add_policy", 89, 30),
    MenuEntry(SECTION, str(_("法律法规维护")), "matters:laws", "matters.add_knowledgeentry", 89, 30),
    MenuEntry(SECTION, str(_("网办地址错误")), "matters:address-errors", "matters.view_addresserror", 91, 30),
    MenuEntry(SECTION, str(_("个性化审核")), "matters:staged-review-done", None, 92, 30),
    MenuEntry(SECTION, str(_("国家平台对账")), "matters:reconciliation", "matters.view_implementationitem", 90, 30),
)
register_menu(
    MenuEntry(SECTION, str(_("共享数据需求")), "matters:demands", "matters.view_implementationitem", 88, 30),
    MenuEntry(SECTION, str(_("组织机构同步")), "matters:org-sync", "matters.view_organisationchange", 93, 30),
    MenuEntry(SECTION, str(_("权责清单")), "matters:power-list", "matters.view_powerlistentry", 94, 30),
)
register_peer("national_platform", send_to_national_platform, queue="sync")
register_peer("item_library", send_org_sync_result, queue="sync")
register_peer("power_list", send_power_list, queue="sync")


def _inbox(user):
    from apps.matters.selectors import inbox_items
    from apps.matters.selectors_dynamics import dynamic_inbox_items

    from apps.matters.selectors_dynamics import correction_inbox_items

    return inbox_items(user=user) + dynamic_inbox_items(user=user) + correction_inbox_items(user=user)


register_inbox("matters", _inbox)


def setup_periodic_tasks() -> None:
    """Data-free beat registration: the nightly quality scan joins CELERY_BEAT_SCHEDULE, which
    django_celery_beat's DatabaseScheduler installs as a PeriodicTask when beat starts."""
    from celery.schedules import crontab
    from django.conf import settings

    schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", None)
    if isinstance(schedule, dict):
        schedule.setdefault("matters-quality-scan", {"task": "matters.quality_scan",
                                                     "schedule": crontab(hour=2, minute=30)})
        schedule.setdefault("matters-address-check", {"task": "matters.address_check",
                                                      "schedule": crontab(hour=3, minute=15)})


setup_periodic_tasks()
