"""Builders for acceptance tests: matters, halls, slots, managers with permissions."""
from __future__ import annotations

import itertools
from datetime import time

from django.contrib.auth.models import Permission

from apps.acceptance.models import BookableMatter, Hall, Slot, SlotKind, Window
from apps.identity.tests.factories import RoleFactory, StaffFactory
from apps.matters.models import CatalogueItem, ImplementationItem

_serial = itertools.count(1)

MANAGER_PERMISSIONS = ("manage_appointments", "view_hall", "add_hall", "change_hall", "view_window", "add_window",
                       "change_window", "view_hallstaff", "add_hallstaff", "change_hallstaff", "view_appointment",
                       "view_slot", "add_slot", "view_queueticket", "change_queueticket", "view_blacklistentry",
                       "view_bookablematter", "add_bookablematter", "view_windowmatter", "add_windowmatter", "add_windowstaff",
                       "view_calendarlabel", "add_calendarlabel", "view_hallcheckinqr", "add_hallcheckinqr",
                       "view_mattergroup", "add_mattergroup")


def grant(user, *codenames: str):
    role = RoleFactory(code=f"acc-{user.username}")
    role.permissions.add(*Permission.objects.filter(content_type__app_label="acceptance", codename__in=codenames))
    user.roles.add(role)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_access_profile"):
        user.__dict__.pop(cache, None)
    return user


def manager(organisation, username: str):
    return grant(StaffFactory(username=username, organisation=organisation), *MANAGER_PERMISSIONS)


def matter(organisation, name: str = "食品经营许可") -> ImplementationItem:
    n = next(_serial)
    catalogue = CatalogueItem.objects.create(name=name, matter_type="01", region=organisation.region,
                                             handling_department=organisation, department=organisation,
                                             basic_code=f"ACC{n:07d}")
    return ImplementationItem.objects.create(
        name=name, matter_type="01", region=organisation.region, handling_department=organisation,
        catalogue_item=catalogue, basic_code=catalogue.basic_code, implementation_code=f"ACCI{n:07d}",
        implementing_body=organisation, status="published")


def hall(organisation, name: str = "哈尔滨市政务服务中心", parent=None, **extra) -> Hall:
    n = next(_serial)
    return Hall.objects.create(name=name, hall_number=f"H{n:04d}", region=organisation.region,
                               organisation=organisation, parent_hall=parent, address="哈尔滨市松北区世纪大道1号",
                               transport_info="地铁1号线世纪大道站", booking_tips="请携带身份证原件", **extra)


def bookable(hall_obj: Hall, name: str = "食品经营许可") -> BookableMatter:
    return BookableMatter.objects.create(hall=hall_obj, matter=matter(hall_obj.organisation, name))


def slot(bookable_matter: BookableMatter, day, start=time(8), end=time(9), capacity=20,
         kind=SlotKind.PRIORITY_HANDLING) -> Slot:
    return Slot.objects.create(bookable_matter=bookable_matter, hall=bookable_matter.hall, date=day,
                               period_start=start, period_end=end, capacity=capacity, kind=kind)


def window(hall_obj: Hall, number: str = "1") -> Window:
    return Window.objects.create(hall=hall_obj, window_number=number, name=f"综合窗口{number}")


ID_NUMBERS = ["11010519491231002X", "110101199003074477", "110101199003072316", "11010119900307803X",
              "110101199003077131", "110101199003073538"]


def id_number(n: int) -> str:
    """A valid 18-digit ID number with a correct check character, distinct per n."""
    from apps.core.validators import id_number_check_character

    first17 = f"23010119900101{n:03d}"[:17]
    return first17 + id_number_check_character(first17)


def booker(n: int = 1) -> dict:
    return {"booker_name": f"张三{n}", "mobile_number": f"138{n:08d}", "id_number": id_number(n)}


def clerk(organisation, username: str = "window_clerk"):
    """Window staff allowed to accept and conclude cases of their organisation."""
    return grant(StaffFactory(username=username, organisation=organisation), "view_case", "change_case")


def concluded_case(item: ImplementationItem, actor, n: int = 1, **extra):
    """A case registered at a window, accepted and concluded by `actor` (for reviews and supervision)."""
    from apps.acceptance.services.cases import case_accept, case_conclude, case_register

    case = case_register(item=item, applicant_name=f"张三{n}", applicant_id_number=id_number(n),
                         applicant_mobile=f"139{n:08d}", actor=actor, **extra)
    case_accept(case=case, actor=actor)
    return case_conclude(case=case, actor=actor)


def with_materials(item: ImplementationItem):
    """Give an item a checklist: two general materials (one optional) and one for a situation."""
    from apps.matters.models import ApplicationMaterial, Situation

    situation = Situation.objects.create(implementation_item=item, name="委托代理人办理")
    ApplicationMaterial.objects.create(implementation_item=item, name="申请书", is_required=True, order=1)
    ApplicationMaterial.objects.create(implementation_item=item, name="营业执照复印件", is_required=False, order=2)
    ApplicationMaterial.objects.create(implementation_item=item, name="授权委托书", is_required=True, order=3,
                                       situation=situation)
    return item, situation


def upload(name: str = "申请书.pdf", content: bytes = b"%PDF-1.4 test"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


DISPATCH_PERMISSIONS = ("view_clientsystem", "add_clientsystem", "change_clientsystem", "view_route", "add_route",
                        "change_route", "add_matterroute", "view_case", "change_case", "view_casecode",
                        "change_casecode")


def dispatch_admin(organisation, username: str = "dispatch_admin"):
    return grant(StaffFactory(username=username, organisation=organisation), *DISPATCH_PERMISSIONS)


def connected_route(admin, organisation, address: str, name: str = "部门业务系统"):
    """An approved client system with a published route at `address`; returns (client, route, token)."""
    from apps.acceptance.services.dispatch import client_register, client_review, route_create, route_step

    client = client_register(actor=admin, name=name, system_type="department", organisation=organisation,
                             address=address)
    token = client_review(actor=admin, client=client, approve=True)
    route = route_create(actor=admin, client=client, name=f"{name}受理", address=address,
                         network_type="gov_extranet", description="", creator_name="王工",
                         creator_contact="13800000000")
    for action in ("submit", "approve", "publish"):
        route = route_step(actor=admin, route=route, action=action)
    return client, route, token
