"""Builders for reviews tests: a concluded case at a hall window, staff with reviews permissions."""
from __future__ import annotations

import itertools
import json

from django.contrib.auth.models import Permission
from django.test import Client

from apps.acceptance.models import HallStaff
from apps.acceptance.tests import factories as acc
from apps.identity.tests.factories import RoleFactory, StaffFactory
from apps.reviews.services.clients import client_register
from apps.reviews.services.evaluations import EvaluationInput, evaluation_submit

_n = itertools.count(1)
HARBIN, QIQIHAR = "230100000000", "230200000000"

HANDLER_PERMISSIONS = ("view_evaluation", "view_badreviewdisposal", "handle_disposal", "view_appeal",
                       "manage_evaluations", "view_statistics", "view_abnormalflag", "view_reviewclient")


def grant(user, *codenames: str):
    role = RoleFactory(code=f"rev-{user.username}-{next(_n)}")
    role.permissions.add(*Permission.objects.filter(content_type__app_label="reviews", codename__in=codenames))
    user.roles.add(role)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_access_profile"):
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


def login(user) -> Client:
    """A test client logged in as `user`."""
    http = Client()
    http.force_login(user)
    return http


def call(http, app, secret, method, path, body=None, ip="127.0.0.1", key=None):
    """One signed open-interface call of integrator `app` (HMAC headers as an integrator sends them)."""
    from apps.reviews.services.clients import signed_headers

    data = json.dumps(body).encode() if body is not None else b""
    headers = signed_headers(client_key=key or app.client_key, secret=secret, method=method, path=path, body=data)
    meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    if method == "GET":
        return http.get(path, REMOTE_ADDR=ip, **meta)
    return http.post(path, data=data, content_type="application/json", REMOTE_ADDR=ip, **meta)


def client(org, actor, *, ip="127.0.0.1", channel="hall"):
    return client_register(name="哈尔滨市大厅评价系统", organisation=org, channel=channel, ip_whitelist=ip, actor=actor)


def rate(kind: str, target, level: int, channel: str = "hall", *, when=None, tags=None, evaluator=None,
         indicators=None, client=None, external_id=""):
    """One evaluation of a hall, window, staff member or item (matter/service_guide) — no case."""
    if tags is None:
        tags = ["服务态度差"] if level == 4 else (["推诿扯皮"] if level == 5 else [])
    field = "matter" if kind in ("matter", "service_guide") else kind
    return evaluation_submit(data=EvaluationInput(
        object_kind=kind, channel=channel, level=level, tags=tags, evaluator=evaluator, evaluated_at=when,
        indicators=indicators or [], client=client, external_id=external_id, **{field: target}))


class Province:
    """Harbin (a department's hall, window, staff, item) and Qiqihar (the bureau's), with ratings:
    Harbin: cases 1, 1 (website), hall 2, window 4, staff 1 (QR) — composite 80.
    Qiqihar: cases 5, 4 (website), hall 3, one hotline case rating 3 — composite 50."""

    def __init__(self, orgs):
        self.harbin = World(orgs["harbin_dept"])
        self.qiqihar = World(orgs["qiqihar"])
        h, q = self.harbin, self.qiqihar
        evaluate(h.case(1), level=1)
        evaluate(h.case(2), level=1)
        rate("hall", h.hall, 2)
        rate("window", h.window, 4)
        rate("staff", h.staff, 1, channel="qr")
        self.q_bad = evaluate(q.case(11), level=5)
        evaluate(q.case(12), level=4)
        rate("hall", q.hall, 3)
        evaluate(q.case(13), level=3, channel="hotline")
