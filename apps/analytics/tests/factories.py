"""A seeded province for analytics tests, built through the owning apps' factories and services:
matters (national catalogue, claims, delegations, reports to the national platform), cases
(channels, deadlines), evaluations, seals, licences (with a second version and a dirty row),
licence catalogue aggregation and organisations. The numbers the tests assert are documented here."""
from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import Client
from django.utils import timezone

from apps.acceptance.tests import factories as acc
from apps.core.models import OutboxMessage
from apps.core.outbox import enqueue
from apps.identity.tests.factories import RoleFactory, StaffFactory
from apps.matters.models import CatalogueItem, Delegation, ImplementationItem
from apps.reviews.tests.factories import evaluate


_n = itertools.count(1)
PROVINCE, HARBIN, DAOLI, QIQIHAR = "230000000000", "230100000000", "230102000000", "230200000000"
ANALYST_PERMS = ("view_charts", "view_topicdataset", "view_topicfact", "view_datalog", "view_embedclient")
ADMIN_PERMS = ANALYST_PERMS + ("refresh_topicdataset", "change_topicdataset", "add_embedclient",
                               "change_embedclient")


def grant(user, *codenames: str):
    role = RoleFactory(code=f"ana-{user.username}-{next(_n)}")
    role.permissions.add(*Permission.objects.filter(content_type__app_label="analytics", codename__in=codenames))
    user.roles.add(role)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_access_profile"):
        user.__dict__.pop(cache, None)
    return user


def analyst(organisation, username="analyst"):
    return grant(StaffFactory(username=username, organisation=organisation), *ANALYST_PERMS)


def administrator(organisation, username="ana_admin"):
    return grant(StaffFactory(username=username, organisation=organisation), *ADMIN_PERMS)


def login(user) -> Client:
    http = Client()
    http.force_login(user)
    return http


def refresh_all(actor, django_capture_on_commit_callbacks, codes=None):
    """Start a refresh and run it (the task runs eagerly when the transaction commits)."""
    from apps.analytics.services.refresh import topic_refresh_start

    with django_capture_on_commit_callbacks(execute=True):
        job = topic_refresh_start(actor=actor, codes=codes)
    job.refresh_from_db()
    return job


def national_catalogue_item(org, name):
    n = next(_n)
    return CatalogueItem.objects.create(name=name, matter_type="01", region=org.region, handling_department=org,
                                        department=org, basic_code=f"NAT{n:07d}", is_national=True,
                                        status="published")


def claim(catalogue, body):
    n = next(_n)
    return ImplementationItem.objects.create(
        name=catalogue.name, matter_type="01", region=body.region, handling_department=body, catalogue_item=catalogue,
        basic_code=catalogue.basic_code, implementation_code=f"CLM{n:07d}", implementing_body=body, status="draft")


def report(item_region, *, status="delivered", error="", code=None, version=1):
    """One report of an item version to the national platform (the payload shape of matters' declaration)."""
    code = code or f"R{next(_n):07d}"
    with transaction.atomic():
        message = enqueue(peer="national_platform", kind="implementation_item_version",
                          payload={"kind": "implementation", "code": code, "version": version},
                          idempotency_key=f"analytics-test-{next(_n)}", region=item_region)
    OutboxMessage.objects.filter(pk=message.pk).update(status=status, last_error=error)   # the peer's answer
    return message


class Province:
    """Seeded data and what the topics must find in it.

    Matters: 2 national catalogue items (province); claimed from nation: Harbin 1 + Daoli 1 = Harbin 2;
    delegated by province: Harbin 1; reported to nation: delivered Harbin 3 messages of 2 items
    (one item in two versions), Qiqihar 1; dead Qiqihar 1
    ("事项编码不符合规范"); pending Harbin 1.
    Online rate (Harbin): published items 2, online 1 → 50%; cases 4, online (pc, app) 2 → 50%.
    Overdue (Harbin): 1 open overdue, 1 concluded late; 1 accepted case without due date (dirty).
    Reviews (Harbin): levels 1, 2, 5 → good 2, bad 1; national check failed 1; abnormal flags 1 (flagged).
    Seals (Harbin): 2 valid, 1 expiring within 30 days, 1 healthy.
    Licences (Harbin): L1 v1 superseded + L1 v2 valid, L2 valid, L3 dirty → valid 2, type "食品经营许可证" 2.
    Catalogue (Harbin): records reported 1, unreported 1; sync events passed 2, failed 1 ("持证主体代码格式错误").
    Organisations: province 1, Harbin 3 (bureau, department, Daoli department), Qiqihar 1.
    Visits (app, today): Harbin item 7, non-matter pages 5 (province).
    Exchange (Harbin, today): 1 message out to the department system, 1 in.
    """

    def __init__(self, orgs):
        self.orgs = orgs
        h = orgs["harbin_dept"]
        self.clerk = acc.clerk(h, username=f"clerk{next(_n)}")
        self._matters(orgs)
        self._cases(h)
        self._seals(h)
        self._licences(h)
        self._visits(orgs)

    def _visits(self, orgs):
        """The 全省事 app reports 12 visits today: 7 to the Harbin item, 5 to pages that are no matter."""
        from apps.analytics.services.embed import embed_client_register
        from apps.analytics.services.visits import visits_ingest

        admin = administrator(orgs["province"], username=f"visit_admin{next(_n)}")
        self.app_client, self.app_key = embed_client_register(
            actor=admin, name="全省事APP", kind="third_party", origin="https://app.hlj.gov.cn",
            region=orgs["province"].region, allowed_charts=["2.1"], may_report_visits=True, visit_channel="app")
        today = timezone.localdate().isoformat()
        visits_ingest(client=self.app_client, batch_id="seed-1", rows=[
            {"day": today, "matter_code": self.item.implementation_code, "region": HARBIN, "count": 7},
            {"day": today, "matter_code": "", "count": 5}])

    def _matters(self, orgs):
        province, h, daoli = orgs["province"], orgs["harbin_dept"], orgs["daoli_dept"]
        nat1 = national_catalogue_item(province, "国家目录事项一")
        national_catalogue_item(province, "国家目录事项二")
        claim(nat1, h)
        claim(nat1, daoli)
        Delegation.objects.create(catalogue_item=nat1, from_level="2", to_levels=["3"], region=h.region, department=h)
        report(h.region, code="HRB0000001", version=1)
        report(h.region, code="HRB0000001", version=2)          # a second version of the same item
        report(h.region)
        report(orgs["qiqihar"].region)
        report(orgs["qiqihar"].region, status="dead", error="事项编码不符合规范")
        report(h.region, status="pending")

    def _cases(self, h):
        self.item = acc.matter(h, "食品经营许可")                     # handling form: window and online
        window_item = acc.matter(h, "窗口事项")
        ImplementationItem.objects.filter(pk=window_item.pk).update(handling_form="window")
        c1 = acc.concluded_case(self.item, self.clerk, 1, channel="pc")
        c2 = acc.concluded_case(self.item, self.clerk, 2, channel="app")
        c3 = acc.concluded_case(self.item, self.clerk, 3)
        from apps.acceptance.services.cases import case_accept, case_register

        open_case = case_register(item=self.item, applicant_name="张三4", applicant_id_number=acc.id_number(4),
                                  actor=self.clerk)
        case_accept(case=open_case, actor=self.clerk)
        from apps.acceptance.models import Case

        today = timezone.localdate()
        Case.objects.filter(pk=open_case.pk).update(due_date=today - dt.timedelta(days=3))       # time passed
        Case.objects.filter(pk=c3.pk).update(due_date=today - dt.timedelta(days=2))             # concluded late
        undated = case_register(item=window_item, applicant_name="张三5", applicant_id_number=acc.id_number(5),
                                actor=self.clerk)
        case_accept(case=undated, actor=self.clerk)
        Case.objects.filter(pk=undated.pk).update(due_date=None)                                # legacy import
        self.cases = [c1, c2, c3, open_case, undated]
        from apps.acceptance.models import ClientSystem, ExchangeMessage

        system = ClientSystem.objects.create(name="市场监管审批系统", system_type="department", organisation=h,
                                             region=h.region, address="http://127.0.0.1:9/", status="approved")
        ExchangeMessage.objects.create(case=c1, client=system, direction="out", kind="case.dispatch",
                                       message_id=f"m{next(_n)}")
        ExchangeMessage.objects.create(case=c1, client=system, direction="in", kind="case.signed_for",
                                       message_id=f"m{next(_n)}")
        from apps.reviews.models import AbnormalFlag, Evaluation, EvaluationQualityRule, EvaluationTag

        # a bad evaluation needs a tag; a transactional test may run after another flushed the seeded ones
        EvaluationTag.objects.get_or_create(object_kind="case", level=5, name="推诿扯皮",
                                            defaults={"national_code": "GBT-A5"})
        e1, _e2, e5 = evaluate(c1, level=1), evaluate(c2, level=2), evaluate(c3, level=5)

        Evaluation.objects.filter(pk=e1.pk).update(national_check="failed", national_check_note="评价时间格式错误")
        rule = EvaluationQualityRule.objects.create(name="短时多次评价", kind="short_interval", parameters={"minutes": 3})
        AbnormalFlag.objects.create(evaluation=e5, rule=rule, reason="短时间内多次评价", review_due=timezone.localdate())

    def _seals(self, h):
        from apps.licences.models import Seal
        from apps.licences.tests.factories import demo_pki, seal_admin, valid_seal

        admin = seal_admin(h, username=f"seal_admin{next(_n)}")
        pki = demo_pki(admin, h)
        soon = valid_seal(admin, h, pki, name="即将过期专用章")
        valid_seal(admin, h, pki, name="电子证照专用章")
        Seal.objects.filter(pk=soon.pk).update(valid_until=timezone.now() + dt.timedelta(days=10))
        self.seal_admin = admin

    def _licences(self, h):
        from apps.licences.models import CatalogueRecord, CatalogueSyncEvent, Licence, LicenceRoute
        from apps.licences.tests.factories import licence_data, licence_template

        template = licence_template(h)

        def licence(code, version, status, **over):
            data = licence_data(next(_n), **over)
            return Licence.objects.create(licence_code=code, version=version, template=template, issuer=h,
                                          holder_kind="legal_person", status=status, created_by=self.clerk, **data)

        licence("L1", 1, "superseded")
        licence("L1", 2, "valid")
        licence("L2", 1, "valid")
        licence("L3", 1, "valid", valid_from=dt.date(2030, 1, 1), valid_until=dt.date(2026, 1, 1))   # dirty
        route = LicenceRoute.objects.create(code=f"r{next(_n)}", name="哈尔滨市证照系统", entry_address="/lic/hrb",
                                            data_source=h, access_address="http://127.0.0.1:9/", organisation=h)
        for code, reported in (("C1", timezone.now()), ("C2", None)):
            CatalogueRecord.objects.create(route=route, licence_code=code, name="食品经营许可证", type_code="T1",
                                           issuer_code=h.credit_code, issuer_name=h.name, holder_name="某公司",
                                           holder_code="91230100MA1B2C3D4E", issued_on=dt.date(2026, 1, 1),
                                           access_url="http://127.0.0.1:9/c", reported_at=reported)
        for action, detail in (("insert", ""), ("update", ""), ("reject", "持证主体代码格式错误")):
            CatalogueSyncEvent.objects.create(department=h, route=route, type_code="T1", licence_code="C1",
                                              action=action, detail=detail)
