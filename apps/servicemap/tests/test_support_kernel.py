"""MAP-7.x is the platform kernel's (regions, login and operation logs): shown here as the map's
administrators meet it, not rebuilt (docs/servicemap.md)."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from apps.core.models import AuditLog
from apps.identity.tests.factories import RoleFactory, StaffFactory

pytestmark = pytest.mark.django_db


def admin_user(orgs, *codenames):
    user = StaffFactory(username="map_sysadmin", organisation=orgs["province"])
    role = RoleFactory(code="map-sys")
    role.permissions.add(*Permission.objects.filter(codename__in=codenames))
    user.roles.add(role)
    return user


@pytest.mark.spec("MAP-7.1")
def test_region_api_returns_the_hierarchy_with_codes(client, map_regions, orgs):
    client.force_login(admin_user(orgs, "view_region"))
    children = client.get("/api/v1/core/regions/230103000000/children/").json()["results"]
    assert [(r["code"], r["name"], r["parent_code"], r["level"]) for r in children] == [
        ("230103001000", "花园街道", "230103000000", 4)]
    street = client.get("/api/v1/core/regions/230103001000/children/").json()["results"]
    assert street[0]["code"] == "230103001001" and street[0]["level"] == 5


@pytest.mark.spec("MAP-7.7.1", "MAP-7.7.2")
def test_login_and_operation_logs_are_recorded_and_cannot_be_deleted(client, orgs, halls):
    user = admin_user(orgs, "view_auditlog")
    user.set_password("Passw0rd!2026")
    user.save()
    assert client.login(username="map_sysadmin", password="Passw0rd!2026")
    login = AuditLog.objects.filter(action="login", actor_username="map_sysadmin")
    assert login.exists()
    logs = client.get("/api/v1/core/audit-logs/", {"action": "login"}).json()["results"]
    assert any(row["actor_username"] == "map_sysadmin" and "ip" in row for row in logs)
    record = login.first()
    assert client.delete(f"/api/v1/core/audit-logs/{record.pk}/").status_code == 405
    assert AuditLog.objects.filter(pk=record.pk).exists()
