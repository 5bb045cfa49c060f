"""PORTAL-7.12 interface-alert maintainers: add, edit, delete and query on the portal; mobile numbers
encrypted at rest and masked; bad input refused with nothing written; permission-gated and audited."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.audit import AuditLog
from apps.core.models import InterfaceMaintainer, MonitoredInterface
from apps.core.tests.factories import grant

pytestmark = pytest.mark.django_db
VIEW, MANAGE = "core.view_monitoring", "core.manage_monitoring"


@pytest.fixture
def manager(staff):
    return grant(staff["province"], VIEW, MANAGE)


@pytest.fixture
def interfaces(db):
    return [MonitoredInterface.objects.create(code="sms", name="短信网关"),
            MonitoredInterface.objects.create(code="national_interaction", name="国家政务服务平台互动交流")]


def _form(**overrides):
    data = {"name": "张维护", "mobile_number": "13912345678", "email": "zhang@example.cn",
            "organisation_name": "省大数据中心", "is_active": "on", "remarks": ""}
    data.update(overrides)
    return data


@pytest.mark.spec("PORTAL-7.12")
def test_admin_adds_edits_queries_and_deletes_a_maintainer(client, manager, interfaces):
    client.force_login(manager)
    response = client.post(reverse("core:monitoring-maintainer-create"),
                           _form(interfaces=[interfaces[0].pk, interfaces[1].pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    maintainer = InterfaceMaintainer.objects.get()
    assert maintainer.mobile_number == "13912345678"
    assert set(maintainer.interfaces.values_list("code", flat=True)) == {"sms", "national_interaction"}
    with connection.cursor() as cursor:                     # ciphertext at rest, never the number
        cursor.execute("SELECT mobile_number FROM core_interfacemaintainer WHERE id = %s", [maintainer.pk])
        stored = cursor.fetchone()[0]
    assert "13912345678" not in stored and stored.startswith("sm4gcm:")

    page = client.get(reverse("core:monitoring-maintainers")).content.decode()
    assert "张维护" in page and "139****5678" in page and "13912345678" not in page
    assert "短信网关" in page

    # query: by exact mobile number (through the digest), by name, by interface
    by_mobile = client.get(reverse("core:monitoring-maintainers"), {"mobile_number": "13912345678"}).content.decode()
    assert "张维护" in by_mobile
    other = client.get(reverse("core:monitoring-maintainers"), {"mobile_number": "13900000000"}).content.decode()
    assert "张维护" not in other
    assert "张维护" in client.get(reverse("core:monitoring-maintainers"), {"name": "维护"}).content.decode()
    assert "张维护" not in client.get(reverse("core:monitoring-maintainers"), {"name": "李"}).content.decode()

    # edit: blank mobile keeps the stored number; the form never shows it in full
    edit_page = client.get(reverse("core:monitoring-maintainer-edit", args=[maintainer.pk])).content.decode()
    assert "13912345678" not in edit_page and "139****5678" in edit_page
    response = client.post(reverse("core:monitoring-maintainer-edit", args=[maintainer.pk]),
                           _form(name="张维护（二线）", mobile_number="", interfaces=[interfaces[0].pk]))
    assert response.status_code == 302
    maintainer.refresh_from_db()
    assert maintainer.name == "张维护（二线）" and maintainer.mobile_number == "13912345678"
    assert list(maintainer.interfaces.values_list("code", flat=True)) == ["sms"]

    response = client.post(reverse("core:monitoring-maintainer-delete", args=[maintainer.pk]))
    assert response.status_code == 302 and not InterfaceMaintainer.objects.exists()

    actions = list(AuditLog.objects.filter(object_repr__contains="张维护").order_by("pk")
                   .values_list("action", flat=True))
    assert [a for a in actions if a in {"create", "update", "delete"}] == ["create", "update", "delete"]
    created = AuditLog.objects.filter(action="create", object_repr__contains="张维护").get()
    assert "13912345678" not in str(created.changes)


@pytest.mark.spec("PORTAL-7.12")
@pytest.mark.parametrize("overrides, field, message", [
    ({"mobile_number": "1391234"}, "mobile_number", "手机号码格式不正确"),
    ({"name": "  "}, "name", "请填写姓名"),
    ({"email": "not-an-address"}, "email", "电子邮箱格式不正确"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(client, manager, overrides, field, message):
    client.force_login(manager)
    response = client.post(reverse("core:monitoring-maintainer-create"), _form(**overrides))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert message in response.content.decode()
    assert not InterfaceMaintainer.objects.exists()
    assert not AuditLog.objects.filter(action="create", content_type__model="interfacemaintainer").exists()


@pytest.mark.spec("PORTAL-7.12")
def test_only_holders_of_the_permissions_see_or_change_maintainers(client, manager, staff):
    from apps.core.services.monitoring import interface_maintainer_create

    maintainer = interface_maintainer_create(data=_form(), actor=manager)
    viewer = grant(staff["harbin"], VIEW)
    client.force_login(viewer)
    assert client.get(reverse("core:monitoring-maintainers")).status_code == 200
    assert client.get(reverse("core:monitoring-maintainer-create")).status_code == 403
    assert client.post(reverse("core:monitoring-maintainer-create"), _form(name="越权")).status_code == 403
    assert client.post(reverse("core:monitoring-maintainer-delete", args=[maintainer.pk])).status_code == 403
    assert list(InterfaceMaintainer.objects.values_list("name", flat=True)) == ["张维护"]
    client.force_login(staff["qiqihar"])                    # staff without the permission
    assert client.get(reverse("core:monitoring-maintainers")).status_code == 403
    client.logout()
    assert client.get(reverse("core:monitoring-maintainers")).status_code == 302


@pytest.mark.spec("PORTAL-7.12")
def test_maintainer_list_query_count_does_not_grow_with_rows(client, manager, interfaces):
    from apps.core.services.monitoring import interface_maintainer_create

    client.force_login(manager)
    url = reverse("core:monitoring-maintainers")

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for n in range(2):
        interface_maintainer_create(data=_form(name=f"维护{n}"), interfaces=interfaces, actor=manager)
    queries_for_page()                                      # warm the per-session caches
    few = queries_for_page()
    for n in range(2, 12):
        interface_maintainer_create(data=_form(name=f"维护{n}"), interfaces=interfaces, actor=manager)
    assert queries_for_page() == few
