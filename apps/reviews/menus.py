"""Menu entries, inbox provider and outbox peers of reviews (imported by ReviewsConfig.ready())."""
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import MenuEntry, register_inbox, register_menu
from apps.core.outbox import register_peer
from apps.reviews.adapters.hotline import send_to_hotline
from apps.reviews.adapters.matters import send_to_matter_library
from apps.reviews.adapters.national import send_to_national

SECTION = str(_("好差评"))

register_menu(
    MenuEntry(SECTION, str(_("评价数据")), "reviews:evaluation-list", "reviews.view_evaluation", 10, 30),
    MenuEntry(SECTION, str(_("差评处置")), "reviews:disposal-list", "reviews.view_badreviewdisposal", 20, 30),
    MenuEntry(SECTION, str(_("申诉管理")), "reviews:appeal-list", "reviews.view_appeal", 30, 30),
    MenuEntry(SECTION, str(_("审核公开")), "reviews:publication-list", "reviews.manage_evaluations", 40, 30),
    MenuEntry(SECTION, str(_("异常评价")), "reviews:abnormal-list", "reviews.view_abnormalflag", 50, 30),
    MenuEntry(SECTION, str(_("好差评统计")), "reviews:statistics", "reviews.view_statistics", 60, 30),
    MenuEntry(SECTION, str(_("接入方工作台")), "reviews:workspace", None, 70, 30),
    MenuEntry(SECTION, str(_("接入监控")), "reviews:access-monitor", "reviews.view_reviewclient", 80, 30),
    MenuEntry(SECTION, str(_("好差评排行")), "reviews:rankings", "reviews.view_statistics", 62, 30),
    MenuEntry(SECTION, str(_("数据分析")), "reviews:cockpit", "reviews.view_statistics", 64, 30),
    MenuEntry(SECTION, str(_("印象评价分析")), "reviews:analysis-impressions", "reviews.view_statistics", 65, 30),
    MenuEntry(SECTION, str(_("重点监督名单")), "reviews:watchlist", "reviews.manage_evaluations", 55, 30),
    MenuEntry(SECTION, str(_("系统管理")), "reviews:system", "reviews.manage_system", 90, 30),
)
register_peer("reviews_national", send_to_national, queue="sync")
register_peer("reviews_hotline", send_to_hotline, queue="sync")
register_peer("reviews_matter_library", send_to_matter_library, queue="sync")


def _inbox(user):
    from apps.reviews.selectors import inbox_items

    return inbox_items(user=user)


register_inbox("reviews", _inbox)
