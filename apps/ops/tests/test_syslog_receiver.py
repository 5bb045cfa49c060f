"""OPS-11.3 / 2.4 / 2.5 / 3.1 / 3.9 / 3.12: real UDP datagrams to the Syslog receiver on a free port;
filter rules drop, log types route, keyword rules alert by SMS, threat intelligence and correlation
rules raise alerts that the quick filters find."""
import re
import socket
import time

import pytest
from django.urls import reverse

from apps.core.models import OutboxMessage, SmsMessage
from apps.ops.models import (
    Alert, AlertOrigin, CorrelationRule, FilterRule, KeywordRule, LogEvent, LogType, ThreatIndicator,
)
from apps.ops.receiver import SyslogReceiver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver():
    server = SyslogReceiver("127.0.0.1", 0)
    server.start_in_thread()
    yield server
    server.shutdown()
    server.server_close()


def send(server, *datagrams: bytes, family=socket.AF_INET, host="127.0.0.1"):
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        for datagram in datagrams:
            sock.sendto(datagram, (host, server.port))


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def handled(server, n):
    return lambda: sum(server.stats.values()) >= n


@pytest.mark.spec("OPS-11.3")
def test_rfc5424_and_rfc3164_datagrams_are_stored_parsed_and_keyword_alerts_send_sms(receiver, ops_team):
    rule = KeywordRule.objects.create(name="光模块故障", keywords="optical module failure\nfan failure",
                                      severity="critical")
    rule.recipients.add(ops_team["engineer"])
    send(receiver,
         b'<165>1 2026-11-30T02:10:00.000Z core-sw1 ifmgr 77 LINK [origin@32473 ip="10.2.0.1"] '
         b'Interface Gi0/1: optical module failure detected src=10.2.0.1',
         b"<13>Nov 30 10:11:12 fw01 sshd[4242]: Accepted password for root from 203.0.113.9 port 51000",
         b"not syslog at all", b"   ")
    assert wait_for(handled(receiver, 4))
    events = {e.hostname: e for e in LogEvent.objects.all()}
    sw = events["core-sw1"]
    assert (sw.facility, sw.severity, sw.app_name) == (20, 5, "ifmgr")
    assert sw.fields["origin@32473.ip"] == "10.2.0.1" and sw.fields["msgid"] == "LINK"
    assert sw.source_ip == "10.2.0.1" and sw.peer_ip == "127.0.0.1"
    assert sw.message.startswith("Interface Gi0/1")
    fw = events["fw01"]
    assert (fw.app_name, fw.facility, fw.severity) == ("sshd", 1, 5) and fw.message.startswith("Accepted")
    assert LogEvent.objects.filter(message="not syslog at all").exists()     # kept raw, default priority
    assert receiver.stats["rejected"] == 1                                  # the blank datagram

    alert = Alert.objects.get(origin=AlertOrigin.KEYWORD)
    assert alert.title == "光模块故障：optical module failure" and alert.severity == "critical"
    sms = SmsMessage.objects.get(purpose="ops_alert")
    assert sms.recipient == ops_team["engineer"] and "光模块故障" in sms.content
    assert OutboxMessage.objects.filter(peer="sms", idempotency_key__startswith="ops:alert:").count() == 1

    send(receiver, b"<165>1 - core-sw1 ifmgr - - - optical module failure again")
    assert wait_for(lambda: Alert.objects.get(pk=alert.pk).count == 2)
    assert SmsMessage.objects.filter(purpose="ops_alert").count() == 1       # a repeat does not page again


@pytest.mark.spec("OPS-2.4", "OPS-2.5")
def test_nested_filter_rule_drops_exactly_the_matching_events_and_log_types_route(receiver, ops_team):
    # drop: app_name == "cron" AND (message contains "session opened" OR severity >= 7)
    FilterRule.objects.create(name="丢弃定时任务噪音", action="drop", condition={"op": "and", "conditions": [
        {"field": "app_name", "operator": "eq", "value": "cron"},
        {"op": "or", "conditions": [{"field": "message", "operator": "contains", "value": "session opened"},
                                     {"field": "severity", "operator": "gte", "value": 7}]}]})
    auth = LogType.objects.create(name="认证日志", code="auth", retention_days=365, importance="high", priority=1,
                                  condition={"field": "app_name", "operator": "in", "value": ["sshd", "login"]})
    other = LogType.objects.create(name="其他日志", code="other", retention_days=30, priority=99)
    send(receiver,
         b"<86>Nov 30 10:00:00 h1 cron[1]: pam_unix(cron:session): session opened for user root",   # A and B: drop
         b"<87>Nov 30 10:00:01 h1 cron[1]: (root) CMD (run-parts)",                                 # A and C: drop
         b"<86>Nov 30 10:00:02 h1 cron[1]: (root) CMD (backup)",                                    # A only: keep
         b"<86>Nov 30 10:00:03 h1 sshd[2]: session opened for user admin")                           # B only: keep
    assert wait_for(handled(receiver, 4))
    kept = list(LogEvent.objects.order_by("pk").values_list("message", "log_type__code"))
    assert kept == [("(root) CMD (backup)", "other"), ("session opened for user admin", "auth")]
    assert FilterRule.objects.get().hit_count == 2

    from datetime import timedelta

    from django.utils import timezone

    from apps.ops.services.events import log_retention_purge

    LogEvent.objects.update(received_at=timezone.now() - timedelta(days=60))
    assert log_retention_purge() == 1                   # the 30-day type's event goes, the 365-day one stays
    assert list(LogEvent.objects.values_list("log_type", flat=True)) == [auth.pk]
    assert other.events.count() == 0


@pytest.mark.spec("OPS-3.1", "OPS-3.12")
def test_threat_intel_hit_raises_alert_listed_under_the_intel_quick_filter(receiver, ops_team, client):
    ThreatIndicator.objects.create(kind="ip", value="2001:db8:bad::66", severity="critical", is_compromise=True)
    ThreatIndicator.objects.create(kind="domain_port_uri", value="evil.example.com:8080/drop.php", severity="high")
    ThreatIndicator.objects.create(kind="md5", value="44d88612fea8a8f36de82e1278abb02f", severity="high")
    send(receiver,
         b"<134>1 2026-11-30T02:00:00Z web01 nginx - - - GET http://evil.example.com:8080/drop.php src=10.3.0.8",
         b"<134>1 2026-11-30T02:00:01Z app02 conn - - - src=10.3.0.9 dst=2001:db8:bad::66 dpt=443 established",
         b"<134>1 2026-11-30T02:00:02Z av01 av - - - quarantined file md5=44D88612FEA8A8F36DE82E1278ABB02F",
         b"<134>1 2026-11-30T02:00:03Z web01 nginx - - - GET http://good.example.com/ src=10.3.0.8")
    assert wait_for(handled(receiver, 4))
    intel = Alert.objects.filter(origin=AlertOrigin.INTEL)
    assert intel.count() == 3
    ipv6 = intel.get(rule_name__contains="2001:db8:bad::66")
    assert (ipv6.direction, ipv6.outcome) == ("outbound", "compromised")
    assert ThreatIndicator.objects.get(kind="md5").hit_count == 1

    client.force_login(ops_team["analyst"])
    page = client.get(reverse("ops:alerts"), {"quick": "intel_hit"}).content.decode()
    assert len(re.findall(r'href="/portal/ops/alerts/\d+/"', page)) == 3 and "威胁情报命中：2001:db8:bad::66" in page
    outbound = client.get(reverse("ops:alerts"), {"quick": "outbound"}).content.decode()
    assert "2001:db8:bad::66" in outbound and "drop.php" not in outbound
    for label in ("今日新增威胁告警", "今日首次出现告警", "威胁情报命中告警", "外部威胁攻击告警", "外部攻击成功/主机失陷告警",
                  "资产外连告警", "恶意文件告警", "横向移动攻击告警", "横向移动失陷高危告警", "主机安全高危告警",
                  "Web安全高危告警"):
        assert label in page


@pytest.mark.spec("OPS-3.9")
def test_correlation_rule_fires_once_for_n_events_from_one_source_within_the_window_ipv6(receiver, ops_team):
    CorrelationRule.objects.create(
        name="SSH暴力破解", group_by="source_ip", threshold=5, window_seconds=60, category="host", severity="high",
        condition={"field": "message", "operator": "contains", "value": "Failed password"})
    CorrelationRule.objects.create(
        name="暴力破解后登录成功", group_by="source_ip", threshold=3, window_seconds=60, category="host",
        severity="critical", condition={"field": "message", "operator": "contains", "value": "password"},
        sequence=[{"field": "message", "operator": "contains", "value": "Failed password"},
                  {"field": "message", "operator": "contains", "value": "Accepted password"}])
    fail = b"<38>Nov 30 10:00:0%d bastion sshd[9]: Failed password for root src=2001:db8::77 dst=10.0.0.5"
    send(receiver, *[fail % i for i in range(4)])
    send(receiver, b"<38>Nov 30 10:00:05 bastion sshd[9]: Failed password for root src=198.51.100.1 dst=10.0.0.5")
    assert wait_for(handled(receiver, 5))
    assert not Alert.objects.filter(origin=AlertOrigin.CORRELATION).exists()     # 4 from one source, 1 from another
    send(receiver, fail % 5, fail % 6)
    assert wait_for(handled(receiver, 7))
    alert = Alert.objects.get(origin=AlertOrigin.CORRELATION, rule_name="SSH暴力破解")
    assert alert.source_ip == "2001:db8::77" and alert.count == 2 and alert.direction == "inbound"
    send(receiver, b"<38>Nov 30 10:00:09 bastion sshd[9]: Accepted password for root src=2001:db8::77 dst=10.0.0.5")
    assert wait_for(handled(receiver, 8))
    success = Alert.objects.get(rule_name="暴力破解后登录成功")
    assert success.outcome == "success" and success.severity == "critical"
