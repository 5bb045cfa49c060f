"""OPS-4.4 / 4.5: an alert becomes a work_order on the portal; the owner starts and handles it, the creator
sends it back and then closes it, every step in the history; notifications by SMS and e-mail through
the outbox; overdue reminders; the 1/7/30-day dashboard; permissions and bad input write nothing."""
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.models import OutboxMessage, SmsMessage, StateTransition
from apps.ops.models import Alert, AlertStatus, Finding, HostAsset, WorkOrder
from apps.ops.services.work_orders import work_order_create, work_order_from_finding, work_orders_remind_overdue
from apps.ops.tasks import work_orders_remind_overdue_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(db):
    return Alert.objects.create(fingerprint="t:1", title="SSH暴力破解（203.0.113.9）", origin="correlation",
                                category="host", severity="high", source_ip="203.0.113.9", destination_ip="10.0.0.5",
                                direction="inbound")


def _work_order_form(owner, **extra):
    due = timezone.localtime(timezone.now() + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")
    return {"title": "处置SSH暴力破解", "owner": owner.pk, "priority": "high", "due_at": due,
            "description": "封禁来源IP", "notify_sms": "on", "notify_email": "on", **extra}


@pytest.mark.spec("OPS-4.4")
def test_alert_to_work_order_handled_sent_back_and_closed_with_history_and_notifications(
        client, ops_team, alert, django_capture_on_commit_callbacks):
    analyst, engineer, manager = ops_team["analyst"], ops_team["engineer"], ops_team["manager"]
    client.force_login(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ops:alert-work-order", args=[alert.pk]),
                               _work_order_form(engineer, related_users=[manager.pk]))
    assert response.status_code == 302
    work_order = WorkOrder.objects.get()
    assert response.url == work_order.get_absolute_url()
    assert work_order.number.startswith("GD") and work_order.status == "new" and work_order.owner == engineer
    alert.refresh_from_db()
    assert alert.status == AlertStatus.IN_WORK_ORDER
    # creator, owner and related person are told: SMS to each mobile, e-mail to each address
    assert {s.recipient for s in SmsMessage.objects.filter(purpose="ops_work_order")} == {analyst, engineer, manager}
    assert sorted(m.to[0] for m in mail.outbox) == ["analyst@example.cn", "engineer@example.cn"]
    assert work_order.number in mail.outbox[0].subject

    client.force_login(engineer)
    page = client.get(work_order.get_absolute_url()).content.decode()
    assert "开始处理" in page and "提交验收" not in page
    assert client.post(reverse("ops:work-order-action", args=[work_order.pk, "start"])).status_code == 302
    assert client.post(reverse("ops:work-order-action", args=[work_order.pk, "handle"]), {"resolution": ""}).status_code == 400
    assert WorkOrder.objects.get().status == "in_progress"
    client.post(reverse("ops:work-order-action", args=[work_order.pk, "handle"]), {"resolution": "已在防火墙封禁"})
    work_order.refresh_from_db()
    assert work_order.status == "handled" and work_order.handled_at is not None
    # the owner cannot accept their own work
    assert client.post(reverse("ops:work-order-action", args=[work_order.pk, "verify"]), {"approved": "1"}).status_code == 403

    client.force_login(analyst)
    assert client.post(reverse("ops:work-order-action", args=[work_order.pk, "verify"]),
                       {"approved": "0", "comment": ""}).status_code == 400      # sending back needs a reason
    client.post(reverse("ops:work-order-action", args=[work_order.pk, "verify"]), {"approved": "0", "comment": "未加白名单"})
    assert WorkOrder.objects.get().status == "in_progress"
    client.force_login(engineer)
    client.post(reverse("ops:work-order-action", args=[work_order.pk, "handle"]), {"resolution": "封禁并加入黑名单"})
    client.force_login(analyst)
    client.post(reverse("ops:work-order-action", args=[work_order.pk, "verify"]), {"approved": "1", "comment": "确认"})
    work_order.refresh_from_db()
    alert.refresh_from_db()
    assert work_order.status == "closed" and work_order.closed_at and alert.status == AlertStatus.CLOSED
    steps = list(StateTransition.objects.filter(object_id=str(work_order.pk), content_type__model="workorder")
                 .order_by("pk").values_list("action", "to_state"))
    assert steps == [("create", "new"), ("start", "in_progress"), ("handle", "handled"), ("reject", "in_progress"),
                     ("handle", "handled"), ("verify", "closed")]
    page = client.get(work_order.get_absolute_url()).content.decode()
    assert "未加白名单" in page and "已关闭" in page


@pytest.mark.spec("OPS-4.4")
def test_vulnerability_weak_password_and_configuration_findings_become_work_orders(ops_team):
    host = HostAsset.objects.create(name="办件库", category="database", ip_address="10.0.1.10")
    kinds = {"vulnerability": "CVE-2024-6387 OpenSSH", "weak_password": "root/123456", "configuration": "未启用审计"}
    for kind, title in kinds.items():
        finding = Finding.objects.create(kind=kind, title=title, severity="high", asset=host)
        work_order = work_order_from_finding(finding=finding, owner=ops_team["engineer"], by=ops_team["analyst"])
        assert work_order.subject == kind and work_order.title == f"办件库：{title}"
    assert WorkOrder.objects.count() == 3


@pytest.mark.spec("OPS-4.4")
def test_refused_without_permission_and_bad_input_writes_nothing(client, ops_team, alert):
    client.force_login(ops_team["outsider"])
    assert client.get(reverse("ops:work-orders")).status_code == 403
    assert client.post(reverse("ops:alert-work-order", args=[alert.pk]),
                       _work_order_form(ops_team["engineer"])).status_code == 403
    client.force_login(ops_team["engineer"])           # may view work_orders, may not create them
    assert client.post(reverse("ops:alert-work-order", args=[alert.pk]),
                       _work_order_form(ops_team["engineer"])).status_code == 403
    client.force_login(ops_team["analyst"])
    past = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("ops:alert-work-order", args=[alert.pk]), _work_order_form(ops_team["engineer"], due_at=past))
    assert response.status_code == 400 and "超期提醒时间必须晚于当前时间" in response.content.decode()
    response = client.post(reverse("ops:alert-work-order", args=[alert.pk]), _work_order_form(ops_team["outsider"]))
    assert response.status_code == 400                  # not a possible owner
    assert not WorkOrder.objects.exists() and not SmsMessage.objects.exists() and not OutboxMessage.objects.exists()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN
    client.logout()
    assert client.get(reverse("ops:work-orders")).status_code == 302


@pytest.mark.spec("OPS-4.4")
def test_overdue_work_order_reminds_owner_and_creator_once(ops_team, alert):
    work_order = work_order_create(title="超期测试", subject="alert", alert=alert, owner=ops_team["engineer"],
                           by=ops_team["analyst"], due_at=timezone.now() + timedelta(minutes=30), notify_email=False)
    SmsMessage.objects.all().delete()
    assert work_orders_remind_overdue() == 0
    WorkOrder.objects.filter(pk=work_order.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    assert work_orders_remind_overdue_task.apply().get() == 1
    assert work_orders_remind_overdue() == 0
    reminded = SmsMessage.objects.filter(purpose="ops_work_order")
    assert {s.recipient for s in reminded} == {ops_team["engineer"], ops_team["analyst"]}
    assert all("已超过提醒时间" in s.content for s in reminded)


@pytest.mark.spec("OPS-4.5")
def test_dashboard_switches_between_1_7_and_30_days(client, ops_team, alert):
    now = timezone.now()
    for age_days, status in [(0, "new"), (3, "in_progress"), (3, "handled"), (20, "handled")]:
        t = work_order_create(title=f"t{age_days}{status}", subject="alert", alert=alert, owner=ops_team["engineer"],
                          by=ops_team["analyst"], notify_sms=False, notify_email=False)
        handled = now - timedelta(days=age_days) + timedelta(hours=2) if status == "handled" else None
        WorkOrder.objects.filter(pk=t.pk).update(created_at=now - timedelta(days=age_days), status=status,
                                              handled_at=handled)
    client.force_login(ops_team["analyst"])
    expected = {1: ("1", "2", "0"), 7: ("3", "2", "1"), 30: ("4", "2", "2")}
    for days, (new, in_progress, handled) in expected.items():
        page = client.get(reverse("ops:work-order-dashboard"), {"days": days}).content.decode()
        assert f'data-testid="kpi-new">{new}<' in page, days
        assert f'data-testid="kpi-in-progress">{in_progress}<' in page
        assert f'data-testid="kpi-handled">{handled}<' in page
        for heading in ("新建工单趋势", "处理周期分布", "处理中工单优先级分布", "新建工单状态分布", "负责人处理工单排行",
                        "负责人新建工单排行", "最近工单"):
            assert heading in page
    page = client.get(reverse("ops:work-order-dashboard"), {"days": 30}).content.decode()
    assert "工程师乙：2" in page            # handled ranking over 30 days
    assert client.get(reverse("ops:work-order-dashboard"), {"days": "x"}).status_code == 200


@pytest.mark.spec("OPS-4.4")
def test_work_order_list_query_count_does_not_grow_with_rows(client, ops_team, alert):
    def make(n):
        for i in range(n):
            work_order_create(title=f"批量{i}", subject="alert", alert=alert, owner=ops_team["engineer"],
                          by=ops_team["analyst"], notify_sms=False, notify_email=False)

    client.force_login(ops_team["analyst"])
    make(2)
    client.get(reverse("ops:work-orders"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("ops:work-orders")).status_code == 200
    make(10)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("ops:work-orders"))
    assert len(many) == len(few)


@pytest.mark.spec("OPS-4.4")
def test_work_order_api_lists_and_handles_with_permission_checks(client, ops_team, alert):
    work_order = work_order_create(title="API", subject="alert", alert=alert, owner=ops_team["engineer"],
                           by=ops_team["analyst"], notify_sms=False, notify_email=False)
    client.force_login(ops_team["outsider"])
    assert client.get("/api/v1/ops/work-orders/").status_code == 403
    client.force_login(ops_team["analyst"])
    assert client.get("/api/v1/ops/work-orders/").json()["results"][0]["number"] == work_order.number
    assert client.post(f"/api/v1/ops/work-orders/{work_order.pk}/handle/", {"resolution": "x"},
                       content_type="application/json").status_code == 403       # not the owner
    client.force_login(ops_team["engineer"])
    response = client.post(f"/api/v1/ops/work-orders/{work_order.pk}/handle/", {"resolution": ""},
                           content_type="application/json")
    assert response.status_code == 400 and WorkOrder.objects.get().status == "new"
    response = client.post(f"/api/v1/ops/work-orders/{work_order.pk}/handle/", {"resolution": "已修复"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "handled"
