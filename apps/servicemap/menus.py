"""Menu entries and outbox peers of the service map (imported by ServicemapConfig.ready())."""
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import MenuEntry, register_menu
from apps.core.outbox import register_peer
from apps.servicemap.services import BOOKING_PEER, CONSULTATION_PEER, send_booking, send_consultation

SECTION = str(_("政务服务地图"))

register_menu(
    MenuEntry(SECTION, str(_("地图运行管控")), "servicemap:dashboard", "servicemap.view_mapdashboard", 10, 34),
    MenuEntry(SECTION, str(_("窗口预约记录")), "servicemap:booking-list", "servicemap.view_windowbooking", 20, 34),
    MenuEntry(SECTION, str(_("窗口咨询记录")), "servicemap:consultation-list", "servicemap.view_windowconsultation",
              30, 34),
)
register_peer(BOOKING_PEER, send_booking, queue="sync")
register_peer(CONSULTATION_PEER, send_consultation, queue="sync")
