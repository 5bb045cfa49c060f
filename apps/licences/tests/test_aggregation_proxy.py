"""Catalogue aggregation with the six quality checks and write-back (LIC-2.1, 4.2), the national platform
peer, statistics of shared licences (LIC-2.7), interface routing (LIC-2.2) and the province-wide proxy that
fetches a city's licence file without storing it (LIC-5.1). Peers are simulators on real HTTP."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.adapters.simulators import SimulatorServer
from apps.core.models import OutboxMessage
from apps.core.outbox import deliver
from apps.core.validators import id_number_check_character, make_credit_code
from apps.identity.tests.factories import StaffFactory
from apps.licences import identifiers
from apps.licences.models import CatalogueRecord, LicenceRoute, Licence, SharingInterface, SharingLog
from apps.licences.peers.city import CityLicencePlatformSimulator
from apps.licences.peers.national import NationalLicencePlatformSimulator
from apps.licences.services.aggregation import catalogue_aggregate, quality_check, shared_statistics
from apps.licences.services.sharing import (
    access_right_save, interface_route_save, sharing_application_save, sharing_interfaces_seed,
)

from .factories import grant
from .test_sharing import SHARE_PERMS, token

pytestmark = pytest.mark.django_db
TYPE = "11100000000013338W001"
ISSUER = make_credit_code("1", "1", "230100", "MB0000001")
PERSON = "23010219900101001" + id_number_check_character("23010219900101001")


def row(n, **overrides):
    data = {"row_id": f"r{n}", "licence_code": identifiers.build(TYPE, ISSUER, 2026, n), "name": "食品经营许可证",
            "type_code": TYPE, "issuer_code": ISSUER, "issuer_name": "哈尔滨市市场监督管理局",
            "holder_name": "张三", "holder_kind": "natural_person", "holder_code": PERSON,
            "issued_on": "2026-03-01", "access_url": f"https://hrb.example.cn/licences/{n}"}
    data.update(overrides)
    return data


@pytest.fixture
def city():
    simulator = CityLicencePlatformSimulator(token="hrb-token")
    with SimulatorServer(simulator) as server:
        simulator.url = server.url
        yield simulator


@pytest.fixture
def national(settings):
    simulator = NationalLicencePlatformSimulator()
    with SimulatorServer(simulator) as server:
        settings.LICENCES_NATIONAL_PLATFORM_URL = server.url
        settings.OUTBOX_BACKOFF_SECONDS = 0
        yield simulator


@pytest.fixture
def route(city, orgs):
    admin = grant(StaffFactory(username="route_admin", organisation=orgs["province"]), *SHARE_PERMS)
    made = interface_route_save(actor=admin, code="hrb", name="哈尔滨市电子证照库", entry_address="/api/v1/licences/share/proxy/hrb/",
                                data_source=orgs["harbin_dept"], access_address=city.url, access_account="province",
                                access_token="hrb-token", organisation=orgs["province"])
    return {"route": made, "admin": admin}


def test_each_of_the_six_checks_names_its_reason():
    assert quality_check(row(1)) == []
    assert "必填项为空" in quality_check(row(1, holder_name=""))[0]
    cases = {"数据格式": row(1, issued_on="2026-13-40"), "证照标识不合法": row(1, licence_code="1.2.156.3005.2.X"),
             "颁发机构代码": row(1, issuer_code="911100001234567890"),
             "持证主体身份": row(1, holder_code="230102199001010011"), "访问地址": row(1, access_url="ftp:/x")}
    for reason, bad in cases.items():
        assert any(reason in r for r in quality_check(bad)), reason


@pytest.mark.spec("LIC-2.1", "LIC-4.2", "LIC-2.7")
def test_aggregation_writes_anomalies_back_and_reports_good_rows_to_the_national_platform(route, city, national):
    city.frontend = [row(1), row(2, holder_kind="legal_person", holder_code=ISSUER), row(3, name=""),
                     row(4, issued_on="03/01/2026"), row(5, licence_code=identifiers.build(TYPE, ISSUER, 2026, 5)[:-1] + "Z"),
                     row(6, issuer_code="91230100MA1B2C3D4X"), row(7, holder_code="230102199001010010"),
                     row(8, access_url="not a url")]
    counts = catalogue_aggregate(actor=route["admin"], route=route["route"])
    assert counts == {"insert": 2, "update": 0, "delete": 0, "reject": 6}
    assert sorted(city.anomalies) == ["r3", "r4", "r5", "r6", "r7", "r8"] and city.extracted == {"r1", "r2"}
    assert CatalogueRecord.objects.count() == 2
    assert CatalogueRecord.objects.get(licence_code=row(1)["licence_code"]).holder_code == PERSON
    message = OutboxMessage.objects.get(peer="licences.national")
    deliver(message.pk)
    assert sorted(national.rows) == sorted([row(1)["licence_code"], row(2)["licence_code"]])
    assert CatalogueRecord.objects.filter(reported_at__isnull=False).count() == 2
    # a second run: one update, one delete; rows already written back are not read again
    city.frontend += [row(9, row_id="r9", licence_code=row(1)["licence_code"], holder_name="张三（变更）"),
                      {"row_id": "r10", "licence_code": row(2)["licence_code"], "operation": "delete",
                       "type_code": TYPE}]
    assert catalogue_aggregate(actor=route["admin"], route=route["route"]) == {
        "insert": 0, "update": 1, "delete": 1, "reject": 0}
    for message in OutboxMessage.objects.filter(peer="licences.national", status="pending"):
        deliver(message.pk)
    assert list(national.rows) == [row(1)["licence_code"]]
    assert national.rows[row(1)["licence_code"]]["holder_name"] == "张三（变更）"
    stats = shared_statistics(route["admin"], type_code=TYPE)
    assert stats == [{"department__name": route["route"].data_source.name, "type_code": TYPE,
                      "inserted": 2, "deleted": 1, "updated": 1, "rejected": 6}]
    assert shared_statistics(route["admin"], region_prefix="2302") == []


def test_aggregation_with_the_front_end_database_down_changes_nothing(route, city, orgs):
    city.fail_next = 5
    with pytest.raises(ValidationError, match="前置库暂不可用"):
        catalogue_aggregate(actor=route["admin"], route=route["route"])
    assert CatalogueRecord.objects.count() == 0
    with pytest.raises(PermissionDenied):
        catalogue_aggregate(actor=StaffFactory(username="agg_nobody", organisation=orgs["province"]),
                            route=route["route"])


@pytest.mark.spec("LIC-5.1", "LIC-2.2")
def test_proxy_returns_the_city_file_and_stores_nothing(client, route, city, orgs):
    admin = route["admin"]
    code = row(1)["licence_code"]
    city.licences[code] = ({"licence_code": code, "holder_name": "张三", "status": "valid"}, b"PK\x03\x04city-ofd")
    sharing_interfaces_seed(actor=admin, organisation=orgs["province"])
    app = sharing_application_save(actor=admin, name="国家证照平台", password="national-pass",
                                   valid_until=timezone.localdate() + dt.timedelta(days=9),
                                   organisation=orgs["province"])
    access_right_save(actor=admin, interface=SharingInterface.objects.get(code="licence-proxy"), application=app,
                      valid_until=timezone.localdate() + dt.timedelta(days=9), daily_limit=50)
    tok = token(client, "国家证照平台", "national-pass").json()["token"]
    h = {"HTTP_X_SHARE_TOKEN": tok}
    stored = (Licence.objects.count(), CatalogueRecord.objects.count())
    base = f"/api/v1/licences/share/proxy/hrb/licences/{code}/"
    response = client.get(base + "file/", **h)
    assert response.status_code == 200 and response.content == b"PK\x03\x04city-ofd"
    assert response["Content-Type"] == "application/ofd"
    assert client.get(base + "info/", **h).json()["holder_name"] == "张三"
    assert client.post(base + "verify/", {"holder_name": "李四"}, content_type="application/json",
                       **h).json() == {"result": "mismatch"}
    assert client.post(base + "cancel/", {}, content_type="application/json", **h).json()["status"] == "cancelled"
    assert (Licence.objects.count(), CatalogueRecord.objects.count()) == stored     # nothing kept here
    assert ("GET", f"/licences/{code}/file/") in city.calls
    assert client.get(base.replace(code, "missing") + "file/", **h).status_code == 404
    city.fail_next = 1
    assert client.get(base + "file/", **h).status_code == 502
    assert client.get(base.replace("/hrb/", "/nowhere/") + "file/", **h).status_code == 404
    assert SharingLog.objects.filter(interface_code="licence-proxy", outcome="failed").count() == 2
    # the route keeps its token encrypted and can be switched off
    route_row = LicenceRoute.objects.get(code="hrb")
    assert route_row.access_token == "hrb-token"
    interface_route_save(actor=admin, route=route_row, code="hrb", name=route_row.name,
                         entry_address=route_row.entry_address, data_source=route_row.data_source,
                         access_address=route_row.access_address, is_enabled=False)
    assert client.get(base + "file/", **h).status_code == 404
