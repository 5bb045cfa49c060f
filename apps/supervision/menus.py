"""Menu entries, inbox providers, outbox peers and the SMS digest of supervision (imported by ready())."""
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import MenuEntry, register_inbox, register_menu
from apps.core.outbox import register_peer
from apps.core.sms import register_sms_digest
from apps.supervision.adapters.govcn import send_to_govcn
from apps.supervision.adapters.national import send_to_national

SECTION = str(_("投诉受理"))
VIEW = "supervision.view_complaint"

register_menu(
    MenuEntry(SECTION, str(_("国家政务平台投诉")), "supervision:national-list", VIEW, 10, 20),
    MenuEntry(SECTION, str(_("中国政府网投诉")), "supervision:govcn-list", VIEW, 20, 20),
    MenuEntry(SECTION, str(_("省级投诉")), "supervision:provincial-list", VIEW, 30, 20),
    MenuEntry(SECTION, str(_("招商引资直通车")), "supervision:investment-list", VIEW, 40, 20),
    MenuEntry(SECTION, str(_("我要评价统计")), "supervision:evaluation-report", VIEW, 45, 20),
    MenuEntry(SECTION, str(_("已办投诉查询")), "supervision:done-lookup", VIEW, 50, 20),
    MenuEntry(SECTION, str(_("投诉咨询建议导出")), "supervision:complaint-list", VIEW, 60, 20),
    MenuEntry(SECTION, str(_("督查平台交换日志")), "supervision:exchange-list", "supervision.view_exchangemessage",
              70, 20),
)
EFFICIENCY = str(_("效能监督"))
register_menu(
    MenuEntry(EFFICIENCY, str(_("效能分析")), "supervision:efficiency", "supervision.view_supervisiontask", 10, 21),
    MenuEntry(EFFICIENCY, str(_("监督指标管理")), "supervision:indicator-list", "supervision.view_supervisiontask",
              20, 21),
    MenuEntry(EFFICIENCY, str(_("投诉与超期统计")), "supervision:dashboard", VIEW, 30, 21),
    MenuEntry(EFFICIENCY, str(_("电子监察")), "supervision:warning-list", VIEW, 40, 21),
    MenuEntry(EFFICIENCY, str(_("一把手走流程")), "supervision:leader-column", None, 50, 21),
)
register_peer("govcn_inspection", send_to_govcn, queue="sync")
register_peer("national_interaction", send_to_national, queue="sync")


def _inbox(user):
    from apps.supervision.selectors import inbox_items

    return inbox_items(user=user)


def _digest():
    from apps.supervision.selectors import provincial_digest

    return provincial_digest()


register_inbox("supervision", _inbox)
register_sms_digest("supervision.provincial_complaints", str(_("全省投诉数据")), _digest)
