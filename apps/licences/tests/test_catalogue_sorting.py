"""Catalogue sorting as a clean-up tool (LIC-1.2): never-reported and wrongly reported catalogue rows are
found, previewed with their fixes, and fixed only for the ticked rows after confirmation."""

import pytest
from django.utils import timezone

from apps.core.models import OutboxMessage
from apps.core.outbox import deliver
from apps.identity.tests.factories import StaffFactory
from apps.licences.models import CatalogueRecord

from .factories import grant, licence_template
from .test_aggregation_proxy import PERSON, TYPE, city, national, route, row  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
URL = "/portal/licences/sharing/catalogue/sorting/"


def record(route_obj, n, reported=True, **overrides):
    data = row(n, **overrides)
    return CatalogueRecord.objects.create(
        route=route_obj, licence_code=data["licence_code"], name=data["name"], type_code=data["type_code"],
        issuer_code=data["issuer_code"], issuer_name=data["issuer_name"], holder_name=data["holder_name"],
        holder_code=data["holder_code"], issued_on=data["issued_on"], access_url=data["access_url"],
        reported_at=timezone.now() if reported else None)


@pytest.mark.spec("LIC-1.2")
def test_sorting_finds_previews_and_fixes_only_what_is_confirmed(client, route, national, orgs):  # noqa: F811
    licence_template(orgs["province"])                     # TYPE is a valid catalogue type
    r = route["route"]
    never = record(r, 1, reported=False)
    record(r, 2)                                           # fine: no finding
    wrong = record(r, 3, holder_code="230102199001010011")
    unknown_type = record(r, 4, type_code="11100000000013338W009",
                          licence_code=row(4)["licence_code"])
    national.rows[wrong.licence_code] = {"licence_code": wrong.licence_code}
    client.force_login(route["admin"])
    page = client.get(URL)
    assert page.status_code == 200
    findings = {f["record"].pk: f for f in page.context["findings"]}
    assert set(findings) == {never.pk, wrong.pk, unknown_type.pk}
    assert findings[never.pk]["fix"] == "report" and findings[wrong.pk]["fix"] == "withdraw"
    assert "持证主体身份" in findings[wrong.pk]["reasons"][0]
    assert "不在证照目录" in findings[unknown_type.pk]["reasons"][-1]
    html = page.content.decode()
    assert "从未上报" in html and "上报有误" in html and "撤回国家平台目录并清除" in html
    # previewing changed nothing
    assert CatalogueRecord.objects.count() == 4 and not OutboxMessage.objects.exists()
    # nothing ticked: refused, nothing written
    assert client.post(URL, {}).status_code == 302
    assert not OutboxMessage.objects.exists()
    # confirm two of the three
    client.post(URL, {"record": [never.pk, wrong.pk]})
    message = OutboxMessage.objects.get(peer="licences.national")
    deliver(message.pk)
    assert never.licence_code in national.rows and wrong.licence_code not in national.rows
    assert CatalogueRecord.objects.get(pk=never.pk).reported_at is not None
    assert not CatalogueRecord.objects.filter(pk=wrong.pk).exists()
    assert [f["record"].pk for f in client.get(URL).context["findings"]] == [unknown_type.pk]


def test_sorting_needs_the_permission(client, route, orgs):  # noqa: F811
    assert client.get(URL).status_code == 302
    client.force_login(grant(StaffFactory(username="sort_viewer", organisation=orgs["province"]),
                             "view_cataloguerecord"))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"record": ["1"]}).status_code == 403
