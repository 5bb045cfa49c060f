"""Menu entries and inbox providers of identity (user management, access requests)."""
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.navigation import InboxItem, MenuEntry, register_inbox, register_menu

SECTION = "用户管理"


def access_request_inbox(user) -> list[InboxItem]:
    """Pending system access requests the user may decide (PORTAL-9.3)."""
    from apps.identity.selectors import access_requests_to_review

    return [
        InboxItem(
            title=_("%(applicant)s 申请访问“%(system)s”") % {"applicant": item.applicant,
                                                            "system": item.get_system_display()},
            url=reverse("identity:access-request-detail", args=[item.pk]),
            category=_("系统访问权限申请"),
            created_at=item.created_at,
        )
        for item in access_requests_to_review(user=user)
    ]


register_menu(
    MenuEntry(SECTION, "用户管理", "identity:user-list", "identity.view_user", order=10, section_order=80),
    MenuEntry(SECTION, "用户授权管理", "identity:authorisation-list", "identity.authorise_user", order=20,
              section_order=80),
    MenuEntry(SECTION, "角色管理", "identity:role-list", "identity.view_role", order=30, section_order=80),
    MenuEntry(SECTION, "系统访问权限申请", "identity:access-request-list", None, order=40, section_order=80),
    MenuEntry(SECTION, "用户统计", "identity:statistics", "identity.view_user", order=45, section_order=80),
    MenuEntry(SECTION, "按日统计用户数", "identity:daily-user-counts", "identity.view_user", order=46,
              section_order=80),
    MenuEntry(SECTION, "对接应用管理", "identity:client-list", "identity.view_clientsystem", order=50,
              section_order=80),
    MenuEntry(SECTION, "注册用户审核", "identity:review-list", "identity.review_registration", order=55,
              section_order=80),
    MenuEntry(SECTION, "业务规则控制", "identity:control-list", "identity.view_businesscontrol", order=60,
              section_order=80),
    MenuEntry(SECTION, "接口权限管理", "identity:api-list", "identity.view_apiendpoint", order=70, section_order=80),
    MenuEntry(SECTION, "用户登录密码初始化", "identity:password-reset-list", "identity.reset_password", order=75,
              section_order=80),
    MenuEntry(SECTION, "地市区划与部门数据导入", "identity:city-data-import-list", "identity.import_city_data",
              order=80, section_order=80),
)
register_inbox("identity.access_requests", access_request_inbox)
