"""IDN-11.1 / 11.2 after the import: at the schedule point every confirmed batch is reported to the
national platform's directory service, and department batches are pushed to the matters system —
through the outbox over real HTTP (simulators); a peer that is down gets the batch later; a batch is
reported once; rows that changed nothing are not sent; the push is accepted by matters' own receiver."""
import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.core.adapters.simulators import SimulatorServer
from apps.core.models import OutboxMessage, OutboxStatus, Region
from apps.core.outbox import deliver
from apps.core.tests.factories import next_credit_code
from apps.identity.adapters.directory import (
    MATTERS_PEER,
    NATIONAL_PEER,
    MattersOrgSyncSimulator,
    NationalDirectorySimulator,
)
from apps.identity.models import CityDataImport
from apps.identity.services.city_data_import import (
    city_data_import_check,
    city_data_import_confirm,
    city_data_import_start,
)
from apps.identity.services.city_data_report import city_data_report_due
from apps.identity.tasks import city_data_report_task
from apps.identity.tests.conftest import give
from apps.identity.tests.test_city_data_import import CityPlatformSimulator

pytestmark = pytest.mark.django_db


@pytest.fixture
def importer(staff):
    user = staff["harbin"]
    give(user, "identity.import_city_data", code="harbin_importer")
    return user


@pytest.fixture
def peers(settings):
    national, matters = NationalDirectorySimulator(), MattersOrgSyncSimulator()
    with SimulatorServer(national) as n_server, SimulatorServer(matters) as m_server:
        settings.IDENTITY_NATIONAL_DIRECTORY_URL = n_server.url
        settings.IDENTITY_MATTERS_ORG_SYNC_URL = m_server.url
        yield national, matters


def confirmed(importer, kind: str, rows: list[dict]) -> CityDataImport:
    platform = CityPlatformSimulator()
    with SimulatorServer(platform) as server:
        from apps.identity.adapters.city_platform import HttpCityPlatform

        platform.put(city="230100000000", kind=kind, rows=rows)
        batch = city_data_import_start(actor=importer, city=Region.objects.get(code="230100000000"), kind=kind,
                                       source="city_platform", platform=HttpCityPlatform(server.url))
    city_data_import_check(batch.pk)
    return city_data_import_confirm(batch=CityDataImport.objects.get(pk=batch.pk), actor=importer)


def deliver_all(peer: str) -> list[str]:
    return [deliver(m.pk) for m in OutboxMessage.objects.filter(peer=peer).order_by("pk")]


@pytest.mark.spec("IDN-11.2")
def test_departments_are_reported_nationally_and_pushed_to_matters(importer, orgs, regions, peers):
    national, matters = peers
    bureau = next_credit_code("230100")
    batch = confirmed(importer, "organisations", [
        {"credit_code": bureau, "name": "哈尔滨市数据局", "short_name": "市数据局", "region": "230100000000",
         "parent": orgs["harbin"].credit_code, "kind": "部门"},
        {"credit_code": orgs["harbin_dept"].credit_code, "name": "哈尔滨市市场监管局", "region": "230100000000"},
        {"credit_code": orgs["harbin_dept"].credit_code, "name": "重复行", "region": "230100000000"},   # refused
    ])
    assert [r["action"] for r in batch.rows] == ["new", "changed", "refused"]

    assert city_data_report_task.apply().get() == {"reported": 1, "pushed": 1}
    assert city_data_report_due() == {"reported": 0, "pushed": 0}                # reported once
    batch.refresh_from_db()
    assert batch.reported_at is not None and batch.pushed_at is not None

    matters.inject_failures(50, 503)                                             # matters is down
    assert deliver_all(NATIONAL_PEER) == [OutboxStatus.DELIVERED]
    deliver_all(MATTERS_PEER)
    assert OutboxMessage.objects.get(peer=MATTERS_PEER).status == OutboxStatus.PENDING and matters.batches == []
    matters.inject_failures(0)                                                   # back up
    OutboxMessage.objects.filter(peer=MATTERS_PEER).update(next_attempt_at=timezone.now())
    assert deliver_all(MATTERS_PEER) == [OutboxStatus.DELIVERED]                     # … and gets it later

    [report] = national.batches
    assert report["province"] == "230000000000" and report["city"] == "230100000000"
    assert [(c["operation"], c["credit_code"]) for c in report["changes"]] == [
        ("add", bureau), ("modify", orgs["harbin_dept"].credit_code)]
    assert "name" in report["changes"][1]["changed_fields"]
    [push] = matters.batches
    assert push["changes"][0] == {"external_id": f"idn-{batch.pk}-{batch.rows[0]['line']}", "operation": "add", "credit_code": bureau,
                                  "name": "哈尔滨市数据局", "short_name": "市数据局", "region": "230100000000",
                                  "kind": "department", "parent_credit_code": orgs["harbin"].credit_code}


@pytest.mark.spec("IDN-11.2")
def test_the_push_is_accepted_by_the_matters_receiver(importer, orgs, regions):
    """The payload is the matters system's own format: its receiver stores every row."""
    from apps.identity.services.city_data_report import matters_changes
    from apps.matters.models import OrganisationChange
    from apps.matters.services.org_sync import organisation_changes_receive

    bureau = next_credit_code("230100")
    batch = confirmed(importer, "organisations", [
        {"credit_code": bureau, "name": "哈尔滨市数据局", "region": "230100000000", "kind": "部门"},
        {"credit_code": orgs["harbin_dept"].credit_code, "name": "哈尔滨市市场监管局", "region": "230100000000",
         "status": "撤销"},
    ])
    changes = matters_changes(batch)
    assert [c["operation"] for c in changes] == ["add", "delete"]
    assert organisation_changes_receive(rows=changes) == {"received": 2, "created": 2}
    assert OrganisationChange.objects.filter(credit_code=bureau, operation="add").exists()


@pytest.mark.spec("IDN-11.1")
def test_regions_are_reported_nationally_at_the_schedule_point(importer, regions, peers):
    national, matters = peers
    confirmed(importer, "regions", [{"code": "230102003000", "name": "新设街道", "region_type": "乡镇街道"},
                                    {"code": "230102000000", "name": "道里区", "region_type": ""}])   # unchanged
    assert PeriodicTask.objects.get(task="identity.city_data_report").crontab.hour == "2"
    assert city_data_report_due() == {"reported": 1, "pushed": 0}
    assert deliver_all(NATIONAL_PEER) == [OutboxStatus.DELIVERED] and not OutboxMessage.objects.filter(peer=MATTERS_PEER)
    [report] = national.batches
    assert report["kind"] == "regions"
    assert [(c["operation"], c["code"]) for c in report["changes"]] == [("add", "230102003000")]
    assert matters.batches == []


def test_unconfirmed_or_cancelled_batches_are_not_reported(importer, regions, peers):
    platform_rows = [{"code": "230102004000", "name": "待定街道", "region_type": "乡镇街道"}]
    platform = CityPlatformSimulator()
    with SimulatorServer(platform) as server:
        from apps.identity.adapters.city_platform import HttpCityPlatform

        platform.put(city="230100000000", kind="regions", rows=platform_rows)
        batch = city_data_import_start(actor=importer, city=Region.objects.get(code="230100000000"), kind="regions",
                                       source="city_platform", platform=HttpCityPlatform(server.url))
    city_data_import_check(batch.pk)
    assert city_data_report_due() == {"reported": 0, "pushed": 0}
    assert not OutboxMessage.objects.filter(peer__in=[NATIONAL_PEER, MATTERS_PEER]).exists()
