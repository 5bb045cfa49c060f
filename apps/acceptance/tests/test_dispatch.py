"""Dispatch centre end to end with three simulated department systems over real HTTP (ACC-11.x – 14.x, 19.x)."""
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from apps.acceptance.adapters.department_simulator import DepartmentSystemSimulator
from apps.acceptance.models import (
    Case, CaseStatus, ClientStatus, ClientSystem, DispatchStatus, ExchangeMessage, MatterRoute, Route, RouteStatus,
    SpecialProcedure,
)
from apps.acceptance.services import dispatch as ds
from apps.acceptance.services import onewindow as ow
from apps.acceptance.services.cases import case_accept
from apps.acceptance.services.issuance import case_issue
from apps.acceptance.tests import factories as f
from apps.core.adapters.simulators import SimulatorServer

pytestmark = pytest.mark.django_db
EXCHANGE = "/api/v1/acceptance/exchange/"


@pytest.fixture
def departments():
    """Three department systems (public security, market regulation, social security) on real sockets."""
    sims = [DepartmentSystemSimulator(n) for n in ("公安出入境", "市场监管", "人社经办")]
    servers = [SimulatorServer(s).start() for s in sims]
    yield list(zip(sims, servers))
    for server in servers:
        server.stop()


@pytest.fixture
def admin(orgs):
    return f.dispatch_admin(orgs["harbin_dept"])


def _push(token, case_number, kind, body=None, message_id=None):
    return APIClient().post(EXCHANGE, {"message_id": message_id or uuid.uuid4().hex, "kind": kind,
                                       "case_number": case_number, "body": body or {}},
                            format="json", HTTP_X_CLIENT_TOKEN=token)


def _routed_case(admin, orgs, server, n=1, name="部门业务系统"):
    item = f.matter(orgs["harbin_dept"], f"事项{n}")
    client, route, token = f.connected_route(admin, orgs["harbin_dept"], server.url, name=name)
    ds.matter_route_set(actor=admin, item=item, route=route)
    case = ow.case_window_intake(item=item, actor=admin, applicant_name=f"申请人{n}",
                                 applicant_id_number=f.id_number(n), applicant_mobile=f"1390000000{n}")
    return case, client, route, token


@pytest.mark.spec("ACC-11.0", "ACC-11.1", "ACC-11.2", "ACC-11.3", "ACC-11.4", "ACC-11.5", "ACC-14.2")
def test_application_review_token_change_and_disable(admin, orgs, departments):
    _sim, server = departments[0]
    client = ds.client_register(actor=admin, name="公安出入境", system_type="provincial_vertical",
                                organisation=orgs["harbin_dept"], address=server.url)
    assert client.status == ClientStatus.PENDING and ds.client_for_token("x") is None
    with pytest.raises(ValidationError):
        ds.client_review(actor=admin, client=client, approve=False, reason="")
    ds.client_review(actor=admin, client=client, approve=False, reason="系统地址不是政务外网")
    client.refresh_from_db()
    assert client.status == ClientStatus.REJECTED and client.rejection_reason
    ds.client_resubmit(actor=admin, client=client, address=server.url + "/v2")
    token = ds.client_review(actor=admin, client=ClientSystem.objects.get(), approve=True)
    assert ds.client_for_token(token) == client and token not in ClientSystem.objects.get().token_digest
    ds.client_change(actor=admin, client=client, address=server.url)
    assert _push(token, "none", "dispatch.signed").status_code == 409   # token accepted, case unknown
    ds.client_end(actor=admin, client=client, cancel=False)
    assert ds.client_for_token(token) is None
    assert _push(token, "none", "dispatch.signed").status_code == 401
    assert _push("", "none", "dispatch.signed").status_code == 401


def test_registration_needs_permission_and_scope(orgs, staff, departments):
    _sim, server = departments[0]
    with pytest.raises(PermissionDenied):
        ds.client_register(actor=staff["harbin_dept"], name="x", system_type="department",
                           organisation=orgs["harbin_dept"], address=server.url)
    outsider = f.dispatch_admin(orgs["qiqihar"], "qq_dispatch")
    with pytest.raises(PermissionDenied):
        ds.client_register(actor=outsider, name="x", system_type="department", organisation=orgs["harbin_dept"],
                           address=server.url)
    assert not ClientSystem.objects.exists()


@pytest.mark.spec("ACC-12.1", "ACC-12.2", "ACC-12.3", "ACC-12.4", "ACC-12.5", "ACC-13.3")
def test_route_lifecycle_test_and_irreversible_revoke(admin, orgs, departments):
    _sim, server = departments[0]
    client, route, _token = f.connected_route(admin, orgs["harbin_dept"], server.url)
    assert route.status == RouteStatus.PUBLISHED
    assert ds.route_test(actor=admin, route=route) is True
    dead = ds.route_create(actor=admin, client=client, name="旧地址", address="http://127.0.0.1:9", network_type="internet",
                           description="", creator_name="王工", creator_contact="138")
    assert ds.route_test(actor=admin, route=dead) is False
    assert Route.objects.get(pk=dead.pk).last_test_ok is False
    with pytest.raises(ValidationError):
        ds.route_step(actor=admin, route=dead, action="publish")      # not reviewed yet
    item = f.matter(orgs["harbin_dept"])
    with pytest.raises(ValidationError, match="未发布"):
        ds.matter_route_set(actor=admin, item=item, route=dead)       # unknown/unpublished route
    assert not MatterRoute.objects.exists()
    ds.matter_route_set(actor=admin, item=item, route=route)
    ds.route_revoke(actor=admin, route=route)
    with pytest.raises(ValidationError, match="不可撤回"):
        ds.route_revoke(actor=admin, route=route)
    assert not MatterRoute.objects.filter(is_active=True).exists() and ds.active_route(item) is None


@pytest.mark.spec("ACC-7.4", "ACC-14.1", "ACC-14.3", "ACC-14.4", "ACC-19.0", "ACC-19.3", "ACC-19.4")
def test_three_departments_receive_accepted_cases_and_sign_for_them(admin, orgs, departments,
                                                                    django_capture_on_commit_callbacks):
    cases = []
    for n, (sim, server) in enumerate(departments, start=1):
        if n == 3:
            sim.sign_on_receipt = False
        with django_capture_on_commit_callbacks(execute=True):
            case, *_rest = _routed_case(admin, orgs, server, n=n, name=sim.name)
            case = case_accept(case=case, actor=admin)
        cases.append(case)
    for (sim, _server), case in zip(departments, cases):
        [message] = sim.messages
        assert message["kind"] == "case.accepted" and message["case_number"] == case.case_number
        body = message["body"]
        assert body["applicant"]["id_number"] == case.applicant_id_number
        assert body["acceptance"]["accepted_by"] == admin.username
        assert body["business"]["item_code"] == case.item.implementation_code
        assert message["case_code"] == case.case_code.code
    statuses = [Case.objects.get(pk=c.pk).dispatch_status for c in cases]
    assert statuses == [DispatchStatus.SIGNED_FOR, DispatchStatus.SIGNED_FOR, DispatchStatus.DISPATCHED]


@pytest.mark.spec("ACC-14.5", "ACC-14.6", "ACC-14.10", "ACC-14.11", "ACC-14.13")
def test_department_status_special_procedure_in_order_conclusion_and_pickup(admin, orgs, departments,
                                                                            django_capture_on_commit_callbacks):
    sim, server = departments[1]
    with django_capture_on_commit_callbacks(execute=True):
        case, _client, _route, token = _routed_case(admin, orgs, server)
        case_accept(case=case, actor=admin)
    number = case.case_number
    assert _push(token, number, "acceptance.status", {"accepted": True, "opinion": "同意受理"}).status_code == 200
    assert _push(token, number, "process.step", {"step": "审核", "stage": "approval"}).json()["case_status"] == \
        CaseStatus.UNDER_APPROVAL
    early = _push(token, number, "special_procedure.end", {"procedure_id": "SP1", "result": "专家评审通过"})
    assert early.status_code == 409 and "尚未申请" in early.json()["message"]
    assert not SpecialProcedure.objects.exists()
    assert _push(token, number, "special_procedure.start", {"procedure_id": "SP1", "procedure_kind": "专家评审"}
                 ).status_code == 200
    assert _push(token, number, "special_procedure.end", {"procedure_id": "SP1", "result": "通过"}).status_code == 200
    assert SpecialProcedure.objects.get().ended_at is not None
    again = _push(token, number, "case.concluded", {"result": "approved", "note": "准予许可"}, message_id="M-END")
    assert again.json()["case_status"] == CaseStatus.CONCLUDED
    assert _push(token, number, "case.concluded", {"result": "approved"}, message_id="M-END").json()["duplicate"]
    with django_capture_on_commit_callbacks(execute=True):
        case_issue(case=Case.objects.get(pk=case.pk), actor=admin, method="pickup", recipient="申请人1")
    assert sim.kinds() == ["case.accepted", "pickup.info"]
    assert sim.messages[-1]["body"]["recipient"] == "申请人1"
    assert ExchangeMessage.objects.filter(case=case, direction="in").count() == 5  # refused and repeated: not logged


@pytest.mark.spec("ACC-14.9", "ACC-14.12")
def test_department_supplement_notice_then_timeout_voids_and_department_is_told(admin, orgs, departments,
                                                                                django_capture_on_commit_callbacks):
    from datetime import timedelta

    sim, server = departments[2]
    with django_capture_on_commit_callbacks(execute=True):
        case, _client, _route, token = _routed_case(admin, orgs, server)
        case_accept(case=case, actor=admin)
    response = _push(token, case.case_number, "supplement.notice", {"content": "补交房屋租赁合同", "working_days": 2})
    assert response.json()["case_status"] == CaseStatus.SUPPLEMENT_REQUIRED
    supplement = case.supplements.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert ow.supplement_timeout_sweep(today=supplement.deadline + timedelta(days=1)) == 1
    assert Case.objects.get(pk=case.pk).status == CaseStatus.VOIDED
    assert sim.kinds() == ["case.accepted", "case.voided"]
    assert sim.messages[-1]["body"]["reason"] == "supplement_timeout"


@pytest.mark.spec("ACC-14.7", "ACC-14.8")
def test_online_declaration_revoke_and_resubmit(admin, orgs, departments):
    _sim, server = departments[0]
    item = f.matter(orgs["harbin_dept"])
    client, route, token = f.connected_route(admin, orgs["harbin_dept"], server.url)
    applicant = {"name": "王五", "id_number": f.id_number(5), "mobile": "13900000005"}
    body = {"item_code": item.implementation_code, "applicant": applicant, "form": {"v": 1}}
    api = APIClient()
    refused = api.post(EXCHANGE, {"message_id": "D0", "kind": "declaration.online", "body": body}, format="json",
                       HTTP_X_CLIENT_TOKEN=token)
    assert refused.status_code == 409 and not Case.objects.exists()       # item not routed to this system
    ds.matter_route_set(actor=admin, item=item, route=route)
    first = api.post(EXCHANGE, {"message_id": "D1", "kind": "declaration.online", "body": body}, format="json",
                     HTTP_X_CLIENT_TOKEN=token).json()
    assert first["case_status"] == CaseStatus.PENDING_PRE_REVIEW
    assert _push(token, first["case_number"], "declaration.revoke", {"reason": "申请人修改"}).status_code == 200
    second = api.post(EXCHANGE, {"message_id": "D2", "kind": "declaration.online",
                                 "body": {**body, "form": {"v": 2}}}, format="json", HTTP_X_CLIENT_TOKEN=token).json()
    assert Case.objects.get(case_number=first["case_number"]).status == CaseStatus.RESCINDED
    assert Case.objects.get(case_number=second["case_number"]).form_data == {"v": 2}
    accepted = Case.objects.get(case_number=second["case_number"])
    ow.case_pre_review(case=accepted, actor=admin, decision="pass", opinion="好")
    case_accept(case=accepted, actor=admin)
    assert _push(token, second["case_number"], "declaration.revoke").status_code == 409


def test_bad_messages_are_refused_and_write_nothing(admin, orgs, departments):
    _sim, server = departments[0]
    case, _client, _route, token = _routed_case(admin, orgs, server)
    _other_case, _c2, _r2, other_token = _routed_case(admin, orgs, departments[1][1], n=2)
    case_accept(case=case, actor=admin)
    assert _push(token, case.case_number, "no.such.kind").status_code == 400
    assert _push(token, case.case_number, "process.step", {"step": "x"}).status_code == 400
    assert _push(other_token, case.case_number, "dispatch.signed").status_code == 409   # not routed to it
    assert not ExchangeMessage.objects.filter(direction="in").exists()



@pytest.mark.spec("ACC-13.1", "ACC-13.2")
def test_item_library_changes_and_cancellations_reach_dispatch_at_once(admin, orgs, departments,
                                                                        django_capture_on_commit_callbacks):
    """The dispatch centre reads the item library (apps.matters) itself: a renamed item is dispatched
    under its new name; once the catalogue item is cancelled there (catalogue_item_cancel), accepted
    cases are no longer dispatched and the item cannot be given a route."""
    from apps.matters.services.dynamics import catalogue_item_cancel
    from apps.matters.tests.factories import grant as matters_grant

    sim, server = departments[0]
    case, _client, route, _token = _routed_case(admin, orgs, server)
    item = case.item
    type(item).objects.filter(pk=item.pk).update(name="食品经营许可（新版）")          # changed in the library
    with django_capture_on_commit_callbacks(execute=True):
        case_accept(case=case, actor=admin)
    assert sim.messages[-1]["body"]["business"]["item_name"] == "食品经营许可（新版）"
    assert Case.objects.get(pk=case.pk).dispatch_status == DispatchStatus.SIGNED_FOR

    catalogue = item.catalogue_item
    type(catalogue).objects.filter(pk=catalogue.pk).update(status="published")
    matters_grant(admin, "change_catalogueitem")
    admin = type(admin).objects.get(pk=admin.pk)
    catalogue_item_cancel(actor=admin, item=type(catalogue).objects.get(pk=catalogue.pk), reason="法规废止")
    later = ow.case_window_intake(item=item, actor=admin, applicant_name="申请人9", applicant_id_number=f.id_number(9),
                                  applicant_mobile="13900000009")
    with django_capture_on_commit_callbacks(execute=True):
        case_accept(case=later, actor=admin)
    assert Case.objects.get(pk=later.pk).dispatch_status == DispatchStatus.NO_ROUTE
    assert len(sim.messages) == 1
    with pytest.raises(ValidationError, match="注销或暂停"):
        ds.matter_route_set(actor=admin, item=item, route=route)
    assert MatterRoute.objects.filter(item=item, is_active=True).count() == 1      # unchanged
