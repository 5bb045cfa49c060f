"""Menu entries of the stores back office (imported by StoresConfig.ready())."""
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import MenuEntry, register_menu

SECTION = str(_("政务服务旗舰店"))

register_menu(
    MenuEntry(SECTION, str(_("旗舰店管理")), "stores:store-list", "stores.view_flagshipstore", 10, 40),
    MenuEntry(SECTION, str(_("信息审核")), "stores:review-list", "stores.review_storearticle", 20, 40),
    MenuEntry(SECTION, str(_("专区事项清单")), "stores:zone-list", "stores.manage_zonematter", 30, 40),
    MenuEntry(SECTION, str(_("推荐事项设置")), "stores:recommendation-list", "stores.manage_recommendedmatter", 40, 40),
    MenuEntry(SECTION, str(_("搜索关键字关联")), "stores:keyword-list", "stores.manage_keywordassociation", 50, 40),
    MenuEntry(SECTION, str(_("网上证明专栏")), "stores:proof-list", "stores.manage_prooflistentry", 60, 40),
)
