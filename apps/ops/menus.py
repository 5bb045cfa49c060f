"""Menu entries (section 安全运维) and outbox peers of ops (imported by OpsConfig.ready())."""
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import MenuEntry, register_menu
from apps.core.outbox import register_peer
from apps.ops.adapters.email import deliver_email
from apps.ops.services.work_orders import EMAIL_PEER

SECTION = str(_("安全运维"))

register_menu(
    MenuEntry(SECTION, str(_("安全告警")), "ops:alerts", "ops.view_security", 10, 95),
    MenuEntry(SECTION, str(_("工单管理")), "ops:work-orders", "ops.view_workorder", 20, 95),
    MenuEntry(SECTION, str(_("工单统计")), "ops:work-order-dashboard", "ops.view_workorder", 30, 95),
    MenuEntry(SECTION, str(_("主机资产")), "ops:hosts", "ops.view_assets", 35, 95),
    MenuEntry(SECTION, str(_("网站资产")), "ops:websites", "ops.view_assets", 40, 95),
    MenuEntry(SECTION, str(_("资产态势")), "ops:situation", "ops.view_assets", 50, 95),
    MenuEntry(SECTION, str(_("监控大屏")), "ops:screens", "ops.use_screens", 60, 95),
    MenuEntry(SECTION, str(_("IP地址规划")), "ops:subnets", "ops.view_ipam", 70, 95),
)
register_peer(EMAIL_PEER, deliver_email, queue="sync")
