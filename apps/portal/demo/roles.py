"""Demo roles (identity.Role) with sensible Django permissions."""
from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import Q

VIEW_KERNEL = ["core.view_region", "core.view_organisation", "core.view_organisationchangerequest"]
# 办件月报 (PORTAL-11): handlers fill their unit's report; reviewers read the statistics and lock months
# (the service lets only provincial statistics staff lock).
MONTHLY_FILL = ["portal.fill_monthlycasereport"]
MONTHLY_STATISTICS = ["portal.view_monthlycasereport_statistics", "portal.lock_monthlycasereport"]
# 信息发布 (PORTAL-5.1): reviewers manage columns, handlers maintain articles (system_admin has both).
PUBLISHING = ["portal.manage_contentcolumn", "portal.manage_article"]
# 旗舰店 (STORE-5.x, 2.e, 2.f): handlers maintain store content, reviewers review it and keep the portal lists.
STORES_CONTENT = ["stores.view_flagshipstore", "stores.maintain_store_content"]
STORES_REVIEW = ["stores.view_flagshipstore", "stores.review_storearticle", "stores.manage_keywordassociation",
                 "stores.manage_recommendedmatter", "stores.manage_prooflistentry", "stores.manage_zonematter"]
ROLE_PERMISSIONS = {
    "system_admin": None,      # every permission
    "reviewer": [*VIEW_KERNEL, "core.review_organisationchangerequest", "core.view_datasourcecode",
                 "core.view_calendarday", "identity.view_user", "identity.reset_password", *MONTHLY_STATISTICS,
                 *PUBLISHING, *STORES_REVIEW],
    "permission_admin": [*VIEW_KERNEL, "identity.view_user", "identity.change_user", "identity.view_role"],
    "handler": [*VIEW_KERNEL, "core.add_organisationchangerequest", "core.view_calendarday", *MONTHLY_FILL,
                "portal.manage_article", *STORES_CONTENT],
    "checker": [*VIEW_KERNEL, "core.view_auditlog"],
    "window_staff": ["core.view_region", "core.view_organisation", "core.view_calendarday"],
    "hall_admin": [*VIEW_KERNEL, "identity.view_user"],
}


def _permissions(names: list[str] | None):
    if names is None:
        return Permission.objects.all()
    condition = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        condition |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(condition)       # permissions of apps not installed are skipped


def build_roles() -> dict:
    from apps.identity.models import Role, RoleCode

    labels = dict(RoleCode.choices)
    roles = {}
    for code, names in ROLE_PERMISSIONS.items():
        role, _ = Role.objects.get_or_create(code=code, defaults={"name": str(labels.get(code, code))})
        role.permissions.set(_permissions(names))
        roles[code] = role
    return roles
