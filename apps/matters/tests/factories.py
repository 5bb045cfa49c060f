"""Builders for matters tests: permissions through roles, reviewing offices, valid element data."""
from __future__ import annotations

from django.contrib.auth.models import Permission

from apps.core.models import OrganisationKind
from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import RoleFactory, StaffFactory
from apps.matters.models import MatterType

DEPARTMENT_PERMISSIONS = (
    "view_catalogueitem", "add_catalogueitem", "change_catalogueitem",
    "view_implementationitem", "add_implementationitem", "change_implementationitem", "view_changerequest",
)
REVIEWER_PERMISSIONS = ("view_catalogueitem", "view_implementationitem", "review_catalogueitem",
                        "view_changerequest", "review_changerequest")


def grant(user, *codenames: str):
    """Give `user` a role holding the matters permissions `codenames`."""
    role = RoleFactory(code=f"r-{user.username}")
    role.permissions.add(*Permission.objects.filter(content_type__app_label="matters", codename__in=codenames))
    user.roles.add(role)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_access_profile"):
        user.__dict__.pop(cache, None)
    return user


def department_user(organisation, username: str):
    return grant(StaffFactory(username=username, organisation=organisation), *DEPARTMENT_PERMISSIONS)


def office_user(region, kind: str, username: str, parent=None):
    office = OrganisationFactory(name=f"{region.name}{'法制办' if 'legal' in kind else '编办'}", region=region,
                                 kind=kind, parent=parent)
    return grant(StaffFactory(username=username, organisation=office), *REVIEWER_PERMISSIONS)


def legal_affairs_user(region, username: str):
    return office_user(region, OrganisationKind.LEGAL_AFFAIRS_OFFICE, username)


def establishment_user(region, username: str):
    return office_user(region, OrganisationKind.ESTABLISHMENT_OFFICE, username)


def element_data(**overrides) -> dict:
    data = {
        "name": "食品经营许可", "matter_type": MatterType.ADMINISTRATIVE_LICENSING,
        "legal_basis": "《中华人民共和国食品安全法》第三十五条", "handling_location": "道里区政务服务中心2号窗口",
        "handling_hours": "工作日 9:00-17:00", "consultation_phone": "0451-86660001",
        "supervision_phone": "0451-12345", "online_handling_url": "https://zwfw.hlj.gov.cn/item/1",
        "is_immediate": False, "statutory_limit_working_days": 20, "committed_limit_working_days": 10,
        "theme": "餐饮开店", "acceptance_conditions": "具有与经营的食品品种相适应的场所",
    }
    data.update(overrides)
    return data


def steps(*limits: int, acceptance_limit: int = 1) -> list[dict]:
    rows = [{"name": "受理", "is_acceptance": True, "step_limit_working_days": acceptance_limit, "description": ""}]
    rows += [{"name": f"岗位{i}", "is_acceptance": False, "step_limit_working_days": n, "description": ""}
             for i, n in enumerate(limits, start=1)]
    return rows


def materials(*names: str) -> list[dict]:
    return [{"name": name, "is_required": True, "original_copies": 1, "photocopy_copies": 0, "source": "申请人自备",
             "is_proof": False} for name in names]


def children(step_limits=(3, 3, 4), material_names=("营业执照", "食品经营许可申请书")) -> dict:
    return {"steps": steps(*step_limits), "materials": materials(*material_names),
            "fees": [], "situations": [{"name": "新办", "conditions": "首次申请"}]}
