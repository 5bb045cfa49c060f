"""Menu entries of analytics (imported by AnalyticsConfig.ready())."""
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import MenuEntry, register_menu

SECTION = str(_("数据分析"))

register_menu(
    MenuEntry(SECTION, str(_("综合展示")), "analytics:dashboard", "analytics.view_charts", 10, 35),
    MenuEntry(SECTION, str(_("专题库管理")), "analytics:dataset-list", "analytics.view_topicdataset", 20, 35),
    MenuEntry(SECTION, str(_("数据日志")), "analytics:log-list", "analytics.view_datalog", 30, 35),
    MenuEntry(SECTION, str(_("可视化调取客户端")), "analytics:client-list", "analytics.view_embedclient", 40, 35),
    MenuEntry(SECTION, str(_("角色权限")), "analytics:roles", "analytics.view_topicdataset", 50, 35),
)
