"""Registrations of the calendar / workflow / outbox / SMS area (imported by CoreConfig.ready)."""
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import MenuEntry, register_menu
from apps.core.outbox import register_peer
from apps.core.sms import SMS_PEER, deliver_sms, platform_daily_summary, register_sms_digest

register_peer(SMS_PEER, deliver_sms, queue="sms")
register_sms_digest("platform_daily_summary", "平台外发消息日报", platform_daily_summary)

register_menu(
    MenuEntry(section=_("系统配置"), label=_("工作日配置"), url_name="core:calendar",
              permission="core.view_calendarday", order=70, section_order=900),
    MenuEntry(section=_("系统配置"), label=_("外发消息"), url_name="core:outbox-list",
              permission="core.view_outboxmessage", order=80, section_order=900),
    MenuEntry(section=_("短信发送管理"), label=_("短信定时推送"), url_name="core:sms-schedule-list",
              permission="core.view_smsschedule", order=10, section_order=910),
    MenuEntry(section=_("短信发送管理"), label=_("短信发送记录"), url_name="core:sms-list",
              permission="core.view_smsmessage", order=20, section_order=910),
)
