"""Audit log of every staff write: who, what, when, from where; viewable and filterable by admins."""
import pytest
from django.contrib.admin import AdminSite
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import RequestFactory

from apps.core.admin.audit import AuditedModelAdmin
from apps.core.audit import AuditAction, AuditLog, audit_record, diff_instance, snapshot
from apps.core.models import Organisation
from apps.core.tests.factories_ops import AuditLogFactory, grant
from apps.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LIST = "/portal/core/audit/"
API = "/api/v1/core/audit-logs/"


def test_service_records_a_diff_with_sensitive_values_masked(staff):
    actor = staff["harbin"]
    target = UserFactory(mobile_number="13812345678", id_number="230102199001011234", full_name="张三")
    before = snapshot(target)
    target.mobile_number, target.full_name = "13900005678", "张四"
    target.save()
    record = audit_record(actor=actor, action=AuditAction.UPDATE, obj=target,
                          changes=diff_instance(before, target, ["mobile_number", "full_name", "id_number"]))
    record.refresh_from_db()
    assert record.actor == actor and record.actor_username == "staff_harbin"
    assert record.actor_organisation == actor.organisation
    assert record.content_type == ContentType.objects.get_for_model(target)
    assert record.object_id == str(target.pk) and record.object_repr == "张四"
    assert record.changes == {"mobile_number": ["138****5678", "139****5678"], "full_name": ["张三", "张四"]}
    with connection.cursor() as cursor:
        cursor.execute("SELECT changes::text FROM core_auditlog WHERE id = %s", [record.pk])
        raw = cursor.fetchone()[0]
    assert "13812345678" not in raw and "13900005678" not in raw


def test_caller_supplied_plain_values_are_masked_too(staff):
    record = audit_record(actor=staff["province"], action=AuditAction.UPDATE,
                          changes={"mobile_number": ["13812345678", "13900005678"], "password": ["a", "b"],
                                   "id_number": [None, "230102199001011234"]})
    assert record.changes == {"mobile_number": ["138****5678", "139****5678"], "password": ["******", "******"],
                              "id_number": [None, "2301**********1234"]}


def test_unknown_action_is_refused_and_nothing_written(staff):
    with pytest.raises(ValueError):
        audit_record(actor=staff["province"], action="hack")
    assert not AuditLog.objects.exists()


def test_records_are_append_only(staff):
    record = audit_record(actor=staff["province"], action=AuditAction.OTHER, detail="x")
    record.detail = "changed"
    with pytest.raises(ValueError):
        record.save()
    assert AuditLog.objects.get().detail == "x"


def test_middleware_records_every_staff_write_with_status_and_view(client, staff):
    client.force_login(staff["harbin"])
    response = client.post("/api/v1/core/jobs/exports/", {"export_key": "nope"},
                           HTTP_USER_AGENT="pytest-agent", REMOTE_ADDR="10.2.3.4")
    assert response.status_code == 400
    record = AuditLog.objects.get(action=AuditAction.REQUEST)
    assert (record.method, record.path, record.status_code) == ("POST", "/api/v1/core/jobs/exports/", 400)
    assert record.view_name == "core-job-exports"
    assert record.actor == staff["harbin"] and record.ip == "10.2.3.4" and record.user_agent == "pytest-agent"


def test_token_authenticated_api_writes_are_recorded(client, staff):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=staff["daoli_dept"])
    client.post("/api/v1/core/jobs/exports/", {"export_key": "nope"}, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert AuditLog.objects.get(action=AuditAction.REQUEST).actor == staff["daoli_dept"]


def test_reads_and_public_users_writes_are_not_recorded(client, staff, citizen):
    client.force_login(staff["harbin"])
    client.get(API)
    client.force_login(citizen)
    client.post("/api/v1/core/jobs/exports/", {"export_key": "nope"})
    assert not AuditLog.objects.filter(action=AuditAction.REQUEST).exists()


def test_forged_forwarded_for_header_does_not_hide_the_client(client, staff):
    client.force_login(staff["harbin"])
    client.post("/api/v1/core/jobs/exports/", {}, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.1.1.1")
    client.post("/api/v1/core/jobs/exports/", {}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    ips = AuditLog.objects.filter(action=AuditAction.REQUEST).values_list("ip", flat=True)
    assert sorted(ips) == ["198.51.100.7", "203.0.113.9"]


def test_login_failed_login_and_logout_are_recorded(client, staff):
    client.post("/portal/login/", {"username": "staff_harbin", "password": "wrong"})
    failed = AuditLog.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.actor is None and failed.actor_username == "staff_harbin"
    assert failed.actor_organisation == staff["harbin"].organisation
    client.get("/sso/captcha.png")           # after a failure the form asks for the captcha
    answer = client.session["identity_captcha"]
    client.post("/portal/login/", {"username": "staff_harbin", "password": "Passw0rd!2026", "captcha": answer})
    assert AuditLog.objects.get(action=AuditAction.LOGIN).actor == staff["harbin"]
    client.post("/portal/logout/")
    assert AuditLog.objects.get(action=AuditAction.LOGOUT).actor == staff["harbin"]


def test_audited_model_admin_records_add_change_and_delete(orgs, regions):
    admin_user = UserFactory(username="root", is_superuser=True, is_staff=True)
    model_admin = AuditedModelAdmin(Organisation, AdminSite())
    model_admin.fields = ["name", "short_name"]
    org = orgs["harbin_dept"]
    request = RequestFactory().post("/admin/core/organisation/1/change/")
    request.user = admin_user
    old_name = org.name
    form = model_admin.get_form(request, org)({"name": "哈尔滨市市场监管局", "short_name": org.short_name},
                                              instance=org)
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    model_admin.log_change(request, org, [{"changed": {"fields": ["name"]}}])
    model_admin.log_deletions(request, Organisation.objects.filter(pk=orgs["qiqihar"].pk))
    change = AuditLog.objects.get(action=AuditAction.UPDATE)
    assert change.changes == {"name": [old_name, "哈尔滨市市场监管局"]} and change.actor == admin_user
    deletion = AuditLog.objects.get(action=AuditAction.DELETE)
    assert deletion.object_repr == "齐齐哈尔市营商环境建设监督局"


def test_admin_cannot_change_or_delete_audit_records(client, staff):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    record = audit_record(actor=staff["province"], action=AuditAction.OTHER)
    client.force_login(root)
    assert client.get(f"/admin/core/auditlog/{record.pk}/change/").status_code == 200   # view only
    client.post(f"/admin/core/auditlog/{record.pk}/delete/", {"post": "yes"})
    assert client.get("/admin/core/auditlog/add/").status_code == 403
    assert AuditLog.objects.filter(pk=record.pk).exists()


def _logs_for(staff):
    return {key: AuditLogFactory(actor=user, action=AuditAction.UPDATE, object_repr=f"obj-{key}")
            for key, user in staff.items()}


def test_region_wide_bureau_sees_its_regions_actors_only(client, staff):
    logs = _logs_for(staff)
    viewer = grant(staff["harbin"], "core.view_auditlog")
    client.force_login(viewer)
    response = client.get(LIST)
    assert response.status_code == 200
    shown = {record.pk for record in response.context["object_list"]} & {log.pk for log in logs.values()}
    assert shown == {logs["harbin"].pk, logs["harbin_dept"].pk, logs["daoli_dept"].pk}
    assert client.get(f"{LIST}{logs['qiqihar'].pk}/").status_code == 404
    assert client.get(f"{LIST}{logs['daoli_dept'].pk}/").status_code == 200


def test_system_admin_sees_all_and_filters(client, staff):
    logs = _logs_for(staff)
    AuditLogFactory(actor=staff["qiqihar"], action=AuditAction.LOGIN, ip="192.0.2.10")
    root = UserFactory(username="root", is_superuser=True)
    client.force_login(root)
    assert len(client.get(LIST, {"action": "update"}).context["object_list"]) == 5
    assert [r.pk for r in client.get(LIST, {"actor": "staff_harbin_d"}).context["object_list"]] == [
        logs["harbin_dept"].pk]
    assert [r.actor_username for r in client.get(LIST, {"action": "login"}).context["object_list"]] == [
        "root", "staff_qiqihar"]
    assert len(client.get(LIST, {"ip": "192.0.2."}).context["object_list"]) == 1
    by_org = client.get(LIST, {"organisation": staff["qiqihar"].organisation_id}).context["object_list"]
    assert {r.actor_username for r in by_org} == {"staff_qiqihar"} and len(by_org) == 2


def test_bad_date_range_is_refused_with_a_message(client, staff):
    _logs_for(staff)
    client.force_login(UserFactory(username="root", is_superuser=True))
    response = client.get(LIST, {"at_from": "2026-05-02", "at_to": "2026-05-01"})
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_staff_without_permission_gets_403(client, staff):
    client.force_login(staff["harbin"])
    assert client.get(LIST).status_code == 403
    assert client.get(API).status_code == 403


def test_list_page_and_api_query_counts_do_not_grow_with_rows(client, staff, django_assert_max_num_queries):
    for _ in range(3):
        _logs_for(staff)
    client.force_login(grant(staff["province"], "core.view_auditlog"))
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get(API, {"action": "update"})
    assert response.json()["count"] == 15


def test_api_is_read_only_and_scoped(client, staff):
    logs = _logs_for(staff)
    client.force_login(grant(staff["qiqihar"], "core.view_auditlog"))
    data = client.get(API, {"action": "update"}).json()
    assert [row["id"] for row in data["results"]] == [logs["qiqihar"].pk]
    assert client.get(f"{API}{logs['harbin'].pk}/").status_code == 404
    assert client.delete(f"{API}{logs['qiqihar'].pk}/").status_code == 405
    assert client.patch(f"{API}{logs['qiqihar'].pk}/", {}, content_type="application/json").status_code == 405
    assert AuditLog.objects.filter(action=AuditAction.UPDATE).count() == 5
    assert set(AuditLog.objects.filter(action=AuditAction.REQUEST).values_list("status_code", flat=True)) == {405}


def test_portal_export_writes_an_export_record(client, staff):
    _logs_for(staff)
    client.force_login(grant(staff["province"], "core.view_auditlog"))
    response = client.get(LIST, {"export": "xlsx", "action": "update"})
    assert response.status_code == 200
    record = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert record.actor == staff["province"] and "操作日志" in record.detail and "5 行" in record.detail
