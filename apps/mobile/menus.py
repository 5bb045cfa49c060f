"""Menu entries and outbox peers of mobile (imported by MobileConfig.ready())."""
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import MenuEntry, register_inbox, register_menu
from apps.core.outbox import register_peer
from apps.mobile.adapters.push import deliver_push

SECTION = str(_("移动端管理"))

register_menu(
    MenuEntry(SECTION, str(_("开发者中心")), "mobile:centre", None, 10, 45),
    MenuEntry(SECTION, str(_("统一标准规范")), "mobile:standards", None, 12, 45),
    MenuEntry(SECTION, str(_("应用场景库")), "mobile:scenarios", "mobile.develop_apps", 15, 45),
    MenuEntry(SECTION, str(_("接口资源目录")), "mobile:resource-list", "mobile.manage_interfaces", 20, 45),
    MenuEntry(SECTION, str(_("资源目录与挂载")), "mobile:catalogues", "mobile.manage_interfaces", 25, 45),
    MenuEntry(SECTION, str(_("接口资源展示")), "mobile:running", "mobile.manage_interfaces", 27, 45),
    MenuEntry(SECTION, str(_("接口资源订阅")), "mobile:subscriptions", "mobile.develop_apps", 30, 45),
    MenuEntry(SECTION, str(_("接口审核")), "mobile:review-queue", "mobile.review_interfaces", 35, 45),
    MenuEntry(SECTION, str(_("接口运维统计")), "mobile:operations", "mobile.review_interfaces", 40, 45),
    MenuEntry(SECTION, str(_("接口操作日志")), "mobile:logs", "mobile.review_interfaces", 45, 45),
    MenuEntry(SECTION, str(_("我的应用")), "mobile:my-apps", "mobile.develop_apps", 50, 45),
    MenuEntry(SECTION, str(_("应用信息管理")), "mobile:app-list", "mobile.administer_apps", 55, 45),
    MenuEntry(SECTION, str(_("应用审核")), "mobile:app-review-queue", "mobile.administer_apps", 60, 45),
    MenuEntry(SECTION, str(_("组件管理")), "mobile:components-admin", "mobile.manage_components", 65, 45),
    MenuEntry(SECTION, str(_("应用异常分析")), "mobile:anomalies", "mobile.administer_apps", 70, 45),
    MenuEntry(SECTION, str(_("应用统计")), "mobile:statistics", "mobile.administer_apps", 75, 45),
)
register_peer("mobile_push", deliver_push, queue="sync")


def _inbox(user):
    from apps.mobile.selectors import inbox_items

    return inbox_items(user=user)


register_inbox("mobile", _inbox)
