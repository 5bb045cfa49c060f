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
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_role_codes"):
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
