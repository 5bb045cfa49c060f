"""Menu entries of the portal's own pages (imported by PortalConfig.ready())."""
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import MenuEntry, register_menu

SECTION = str(_("办件月报"))

register_menu(
    MenuEntry(SECTION, str(_("办件数据填报")), "portal:monthly-fill", "portal.fill_monthlycasereport", 10, 50),
    MenuEntry(SECTION, str(_("统计（中省直）")), "portal:monthly-statistics-central-provincial",
              "portal.view_monthlycasereport_statistics", 20, 50),
    MenuEntry(SECTION, str(_("统计（市（地）营商局）")), "portal:monthly-statistics-city-bureau",
              "portal.view_monthlycasereport_statistics", 30, 50),
    MenuEntry(SECTION, str(_("统计（市（地）其他单位）")), "portal:monthly-statistics-city-other",
              "portal.view_monthlycasereport_statistics", 40, 50),
    MenuEntry(SECTION, str(_("月份锁定")), "portal:monthly-locks", "portal.lock_monthlycasereport", 50, 50),
)

INFORMATION = str(_("信息发布"))

register_menu(
    MenuEntry(INFORMATION, str(_("栏目管理")), "portal:column-list", "portal.manage_contentcolumn", 10, 40),
    MenuEntry(INFORMATION, str(_("信息维护")), "portal:column-list-articles", "portal.manage_article", 20, 40),
)
