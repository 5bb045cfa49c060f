"""Reporting to the national platform over real HTTP, through the outbox, and reconciliation."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.core.models import OutboxMessage, OutboxStatus
from apps.core.outbox import deliver
from apps.matters.services.changes import matter_change_submit
from apps.matters.services.reconciliation import reconcile

pytestmark = pytest.mark.django_db


def _deliver_all():
    for message in OutboxMessage.objects.filter(peer="national_platform", status=OutboxStatus.PENDING):
        deliver(message.pk)


@pytest.mark.spec("MAT-2.1.6")
def test_published_versions_reach_the_peer_over_http_once(national_platform, published_item, people):
    _deliver_all()
    assert national_platform.latest[published_item.basic_code]["version"] == 1
    matter_change_submit(actor=people["harbin"], item=published_item, proposed={"supervision_phone": "0451-999"})
    _deliver_all()
    assert national_platform.latest[published_item.basic_code]["version"] == 2
    message = OutboxMessage.objects.get(idempotency_key__endswith=":v2")
    message.status, message.next_attempt_at = OutboxStatus.PENDING, message.created_at   # redelivery
    message.save()
    deliver(message.pk)
    assert len(national_platform.reports) == 2            # the repeated key is not stored twice


def test_peer_outage_is_retried_and_a_refusal_is_dead(national_platform, published_item):
    national_platform.inject_failures(1, 503)
    message = OutboxMessage.objects.get(peer="national_platform")
    deliver(message.pk)                                   # 503, then the (eager) retry succeeds
    message.refresh_from_db()
    assert (message.status, message.attempts, national_platform.requests) == (OutboxStatus.DELIVERED, 2, 2)
    national_platform.inject_failures(1, 400)
    bad = OutboxMessage.objects.create(peer="national_platform", kind="x", idempotency_key="k-bad",
                                       payload={"code": "X", "version": 1, "kind": "catalogue"})
    assert deliver(bad.pk) == OutboxStatus.DEAD


@pytest.mark.spec("MAT-7.5")
def test_reconciliation_lists_each_kind_of_difference(national_platform, published_item, people, orgs, client):
    from apps.matters.services.declaration import catalogue_item_declare, matter_review
    from apps.matters.tests.factories import children, element_data

    second = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"],
                                    data=element_data(name="食品生产许可"), children=children())
    matter_review(actor=people["harbin_establishment"], item=second, approve=True, comment="同意")
    third = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"],
                                   data=element_data(name="特种设备使用登记"), children=children())
    matter_review(actor=people["harbin_establishment"], item=third, approve=True, comment="同意")
    second.refresh_from_db()
    third.refresh_from_db()
    _deliver_all()                                          # all three delivered
    national_platform.forget(second.basic_code)             # the peer lost one
    national_platform.latest["990000000000"] = {"code": "990000000000", "kind": "catalogue", "version": 1,
                                                "name": "对端多出的事项"}
    matter_change_submit(actor=people["harbin"], item=third, proposed={"supervision_phone": "0451-1"})  # V2 queued
    dead = OutboxMessage.objects.get(idempotency_key=f"matters:catalogue:{published_item.pk}:v1")
    dead.status = OutboxStatus.DEAD
    dead.last_error = "HTTP 400"
    dead.save()

    result = reconcile(holdings={code: dict(row) for code, row in national_platform.latest.items()})
    states = {row.code: row.state for row in result.rows}
    assert states == {published_item.basic_code: "push_failed", second.basic_code: "peer_missing",
                      third.basic_code: "not_pushed", "990000000000": "peer_extra"}
    _deliver_all()
    result = reconcile(holdings={code: dict(row) for code, row in national_platform.latest.items()})
    assert {row.code: row.state for row in result.rows}[third.basic_code] == "in_sync"
    assert result.in_use == 3

    client.force_login(people["harbin"])
    page = client.get(reverse("matters:reconciliation"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-state="push_failed"' in html and second.basic_code in html
    assert "990000000000" not in html                       # peer extras only for the administrator


def test_reconciliation_page_refuses_outsiders_and_reports_an_unreachable_peer(client, citizen, people, settings):
    assert client.get(reverse("matters:reconciliation")).status_code == 302
    client.force_login(citizen)
    assert client.get(reverse("matters:reconciliation")).status_code in (302, 403)
    settings.MATTERS_NATIONAL_PLATFORM_URL = "http://127.0.0.1:9"
    client.force_login(people["harbin"])
    assert "无法连接国家政务服务平台" in client.get(reverse("matters:reconciliation")).content.decode()


def test_reconcile_command_prints_differences(national_platform, published_item, capsys):
    call_command("reconcile_national_platform")
    out = capsys.readouterr().out
    assert "未推送 1" in out and published_item.basic_code in out
