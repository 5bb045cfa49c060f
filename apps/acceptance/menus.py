"""Menu entries and inbox providers of acceptance."""
from django.utils.translation import gettext_lazy as _

from apps.acceptance.services.dispatch import PEER_PREFIX, send_route_message
from apps.acceptance.services.logistics import PEER as LOGISTICS_PEER
from apps.acceptance.services.logistics import send_shipment
from apps.core.navigation import MenuEntry, register_menu
from apps.core.outbox import register_peer, register_peer_family

register_peer_family(PEER_PREFIX, send_route_message, queue="sync")
register_peer(LOGISTICS_PEER, send_shipment, queue="sync")
from apps.acceptance.services.province_booking import PEER as PROVINCE_BOOKING_PEER  # noqa: E402
from apps.acceptance.services.province_booking import send_province_booking  # noqa: E402

register_peer(PROVINCE_BOOKING_PEER, send_province_booking, queue="sync")
import apps.acceptance.tasks_logistics  # noqa: E402,F401 (registers the courier_sync task)

SECTION = _("综合受理")

register_menu(
    MenuEntry(SECTION, _("大厅管理"), "acceptance:hall-list", "acceptance.view_hall", order=10, section_order=60),
    MenuEntry(SECTION, _("预约订单"), "acceptance:appointment-list", "acceptance.view_appointment", order=20,
              section_order=60),
    MenuEntry(SECTION, _("预约统计"), "acceptance:statistics", "acceptance.view_appointment", order=25,
              section_order=60),
    MenuEntry(SECTION, _("渠道与需求监测"), "acceptance:channels", "acceptance.view_channelvisit", order=26,
              section_order=60),
    MenuEntry(SECTION, _("日历标签"), "acceptance:label-list", "acceptance.manage_appointments", order=30,
              section_order=60),
    MenuEntry(SECTION, _("预约黑名单"), "acceptance:blacklist", "acceptance.manage_appointments", order=40,
              section_order=60),
    MenuEntry(SECTION, _("综合受理"), "acceptance:case-list", "acceptance.view_case", order=50, section_order=60),
    MenuEntry(SECTION, _("草稿箱"), "acceptance:draft-list", "acceptance.change_case", order=51, section_order=60),
    MenuEntry(SECTION, _("补齐补正"), "acceptance:supplement-list", "acceptance.view_case", order=55,
              section_order=60),
    MenuEntry(SECTION, _("出件事项管理"), "acceptance:issuance-list", "acceptance.view_case", order=56,
              section_order=60),
    MenuEntry(SECTION, _("材料管理"), "acceptance:material-file-list", "acceptance.view_case", order=57,
              section_order=60),
    MenuEntry(SECTION, _("业务统计"), "acceptance:case-statistics", "acceptance.view_case", order=60,
              section_order=60),
    MenuEntry(SECTION, _("按日统计办件数"), "acceptance:daily-case-counts", "acceptance.view_case", order=61,
              section_order=60),
    MenuEntry(SECTION, _("咨询登记"), "acceptance:consultation-list", "acceptance.view_consultation", order=58,
              section_order=60),
    MenuEntry(SECTION, _("系统对接中心"), "acceptance:client-list", "acceptance.view_clientsystem", order=70,
              section_order=60),
    MenuEntry(SECTION, _("统一附件管理"), "acceptance:attachment-list", "acceptance.view_case", order=58,
              section_order=60),
    MenuEntry(SECTION, _("分级权限"), "acceptance:admin-grants", "acceptance.view_admingrant", order=92,
              section_order=60),
    MenuEntry(SECTION, _("对接覆盖范围"), "acceptance:integration-coverage", "acceptance.view_clientsystem",
              order=71, section_order=60),
    MenuEntry(SECTION, _("系统配置"), "acceptance:config-index", "acceptance.view_printtemplate", order=90,
              section_order=60),
    MenuEntry(SECTION, _("表单管理"), "acceptance:form-list", "acceptance.view_form", order=91, section_order=60),
    MenuEntry(SECTION, _("表单和基本信息映射"), "acceptance:form-mapping-list", "acceptance.view_formmapping",
              order=91, section_order=60),
    MenuEntry(SECTION, _("办件码投诉"), "acceptance:code-complaint-list", "acceptance.view_casecodecomplaint",
              order=85, section_order=60),
    MenuEntry(SECTION, _("办件码"), "acceptance:code-list", "acceptance.view_casecode", order=80, section_order=60),
)
