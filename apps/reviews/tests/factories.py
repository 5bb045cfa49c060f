"""Builders for reviews tests: a concluded case at a hall window, staff with reviews permissions."""
from __future__ import annotations

import itertools

from django.contrib.auth.models import Permission

from apps.acceptance.models import HallStaff
from apps.acceptance.tests import factories as acc
from apps.identity.tests.factories import RoleFactory, StaffFactory
from apps.reviews.services.clients import client_register
from apps.reviews.services.evaluations import EvaluationInput, evaluation_submit

_n = itertools.count(1)

HANDLER_PERMISSIONS = ("view_evaluation", "view_badreviewdisposal", "handle_disposal", "view_appeal",
                       "manage_evaluations", "view_statistics", "view_abnormalflag", "view_reviewclient")


def grant(user, *codenames: str):
    role = RoleFactory(code=f"rev-{user.username}-{next(_n)}")
    role.permissions.add(*Permission.objects.filter(content_type__app_label="reviews", codename__in=codenames))
    user.roles.add(role)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_role_codes"):
        user.__dict__.pop(cache, None)
    return user


def handler(organisation, username="rev_handler", mobile="13900000001"):
    user = StaffFactory(username=username, organisation=organisation)
    user.mobile_number = mobile
    user.save()
    return grant(user, *HANDLER_PERMISSIONS)


class World:
    """A hall with a window and a staff member of `org`, an implementation item and a clerk."""

    def __init__(self, org):
        self.org = org
        self.item = acc.matter(org, "食品经营许可")
        self.hall = acc.hall(org)
        self.window = acc.window(self.hall)
        self.staff = HallStaff.objects.create(hall=self.hall, staff_number=f"S{next(_n):03d}", name="李四",
                                              department=org)
        self.clerk = acc.clerk(org, username=f"clerk{next(_n)}")

    def case(self, n=1, applicant=None):
        return acc.concluded_case(self.item, self.clerk, n, hall=self.hall, window=self.window,
                                  window_staff=self.staff, applicant=applicant)


def evaluate(case, level=2, channel="pc", tags=None, evaluator=None, comment=""):
    if tags is None:
        tags = ["服务态度差"] if level == 4 else (["推诿扯皮"] if level == 5 else [])
    return evaluation_submit(data=EvaluationInput(object_kind="case", channel=channel, level=level, tags=tags,
                                                  case=case, evaluator=evaluator, comment=comment))


def client(org, actor, *, ip="127.0.0.1", channel="hall"):
    return client_register(name="哈尔滨市大厅评价系统", organisation=org, channel=channel, ip_whitelist=ip, actor=actor)
