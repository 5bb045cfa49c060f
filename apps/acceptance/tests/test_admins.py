"""Tiered permissions (分级权限, ACC-5.12) as administrators meet them: a tier opens the tier below inside its
own scope with at most its own capabilities; the opened account sees its own unit's halls only; revoking takes
the power back. Refusals write nothing."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.acceptance.models import AdminGrant, AdminLevel
from apps.acceptance.services.admins import admin_account_open
from apps.acceptance.tests import factories as f
from apps.core.models import AuditLog
from apps.identity.models import User
from apps.identity.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "acceptance:admin-grants"


def _open(client, **data):
    payload = {"action": "open", "password": "Init-Passw0rd!", "mobile_number": "13900000011", **data}
    return client.post(reverse(URL), payload)


@pytest.fixture
def super_admin(db):
    return StaffFactory(username="root", is_superuser=True)


@pytest.mark.spec("ACC-5.12")
def test_tiers_open_the_tier_below_and_the_opened_admin_sees_its_own_halls(client, orgs, super_admin):
    harbin_hall = f.hall(orgs["harbin_dept"])
    sub_hall = f.hall(orgs["daoli_dept"], name="道里区分厅", parent=harbin_hall)
    qiqihar_hall = f.hall(orgs["qiqihar"], name="齐齐哈尔市政务服务中心")
    client.force_login(super_admin)
    response = _open(client, username="hrb_city", full_name="哈市管理员", organisation=orgs["harbin"].pk,
                     capabilities=["halls", "admins", "appointments"])
    assert response.status_code == 302, response.content.decode()[:1500]
    city = AdminGrant.objects.get(user__username="hrb_city")
    assert city.level == AdminLevel.CITY and city.granted_by == super_admin

    # the city administrator logs in and opens a hall administrator for a hall of its city
    client.force_login(city.user)
    page = client.get(reverse(URL)).content.decode()
    assert "市级管理员" in page and "开通管理员" in page
    response = _open(client, username="hrb_hall", full_name="大厅管理员", organisation=orgs["harbin_dept"].pk,
                     hall=harbin_hall.pk, capabilities=["halls", "admins"])
    assert response.status_code == 302, response.content.decode()[:1500]
    hall_grant = AdminGrant.objects.get(user__username="hrb_hall")
    assert hall_grant.level == AdminLevel.HALL and hall_grant.granted_by == city.user
    assert AuditLog.objects.filter(action="create", object_id=str(hall_grant.pk)).exists()

    # the hall administrator opens a sub-hall administrator, and sees only its own halls
    client.force_login(hall_grant.user)
    response = _open(client, username="dl_sub", full_name="分厅管理员", organisation=orgs["daoli_dept"].pk,
                     hall=sub_hall.pk, capabilities=["halls"])
    assert response.status_code == 302
    assert AdminGrant.objects.get(user__username="dl_sub").level == AdminLevel.SUB_HALL
    halls = client.get(reverse("acceptance:hall-list")).content.decode()
    assert harbin_hall.name in halls and sub_hall.name in halls and qiqihar_hall.name not in halls
    listing = client.get(reverse(URL)).content.decode()
    assert "dl_sub" in listing and "hrb_city" not in listing         # a tier sees below, not above

    # the city administrator revokes the hall administrator: permissions gone, account disabled
    client.force_login(city.user)
    response = client.post(reverse(URL), {"action": "revoke", "grant": hall_grant.pk, "reason": "岗位调整"})
    assert response.status_code == 302
    hall_grant.refresh_from_db()
    revoked = User.objects.get(pk=hall_grant.user_id)
    assert hall_grant.revoke_reason == "岗位调整" and not revoked.is_active
    assert not revoked.user_permissions.exists()


@pytest.mark.spec("ACC-5.12")
def test_refusals_write_nothing(client, orgs, super_admin):
    harbin_hall = f.hall(orgs["harbin_dept"])
    qiqihar_hall = f.hall(orgs["qiqihar"], name="齐齐哈尔市政务服务中心")
    client.force_login(super_admin)
    _open(client, username="hrb_city", full_name="哈市管理员", organisation=orgs["harbin"].pk,
          capabilities=["halls", "admins"])
    city = AdminGrant.objects.get()
    client.force_login(city.user)
    users, grants = User.objects.count(), AdminGrant.objects.count()
    cases = [
        # same tier (the city bureau itself) — not below
        ({"username": "x1", "full_name": "甲", "organisation": orgs["harbin"].pk, "capabilities": ["halls"]}, "低于本级"),
        # a hall outside the city is not even offered
        ({"username": "x2", "full_name": "乙", "organisation": orgs["qiqihar"].pk, "hall": qiqihar_hall.pk,
              "capabilities": ["halls"]}, "有效"),
        # a capability the city administrator does not hold
        ({"username": "x3", "full_name": "丙", "organisation": orgs["harbin_dept"].pk, "hall": harbin_hall.pk,
              "capabilities": ["cases"]}, "不能授予本人未拥有的权限"),
        # a hall whose organisation is not the unit
        ({"username": "x4", "full_name": "丁", "organisation": orgs["daoli_dept"].pk, "hall": harbin_hall.pk,
              "capabilities": ["halls"]}, "管理机构"),
        # an existing login name
        ({"username": "hrb_city", "full_name": "戊", "organisation": orgs["harbin_dept"].pk, "hall": harbin_hall.pk,
              "capabilities": ["halls"]}, "登录账号已存在"),
        # a bad mobile number
        ({"username": "x5", "full_name": "己", "organisation": orgs["harbin_dept"].pk, "hall": harbin_hall.pk,
              "capabilities": ["halls"], "mobile_number": "12345"}, "手机号码"),
    ]
    for data, message in cases:
        response = _open(client, **data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), (data, message)
    with pytest.raises(ValidationError, match="管理范围"):               # nor accepted by the service
        admin_account_open(actor=city.user, username="x6", full_name="庚", mobile_number="13900000012",
                           password="Init-Passw0rd!", organisation=orgs["qiqihar"], hall=qiqihar_hall,
                           capabilities=["halls"])
    assert (User.objects.count(), AdminGrant.objects.count()) == (users, grants)
    # revoking without a reason, or revoking one's own tier, is refused too
    response = client.post(reverse(URL), {"action": "revoke", "grant": city.pk, "reason": "x"})
    assert response.status_code == 403
    assert AdminGrant.objects.get(pk=city.pk).revoked_at is None


@pytest.mark.spec("ACC-5.12")
def test_authorisation_matrix(client, orgs, super_admin):
    url = reverse(URL)
    assert client.get(url).status_code == 302                          # anonymous → login
    client.force_login(UserFactory(username="c1"))
    assert client.get(url).status_code == 403                          # citizen
    client.force_login(StaffFactory(username="plain", organisation=orgs["harbin"]))
    assert client.get(url).status_code == 403                          # staff without permission
    hall_admin = f.grant(StaffFactory(username="viewer", organisation=orgs["harbin_dept"]), "view_admingrant",
                         "add_admingrant")
    client.force_login(hall_admin)                                     # permission, but no tier grant
    assert client.get(url).status_code == 200
    response = _open(client, username="y1", full_name="甲", organisation=orgs["daoli_dept"].pk,
                     capabilities=["halls"])
    assert response.status_code == 403 and not User.objects.filter(username="y1").exists()
    client.force_login(super_admin)                                    # another region's admin sees nothing here
    _open(client, username="qq_city", full_name="齐市管理员", organisation=orgs["qiqihar"].pk,
          capabilities=["halls", "admins"])
    _open(client, username="hrb_city", full_name="哈市管理员", organisation=orgs["harbin"].pk,
          capabilities=["halls", "admins"])
    client.force_login(User.objects.get(username="qq_city"))
    assert "hrb_city" not in client.get(url).content.decode()
    harbin_grant = AdminGrant.objects.get(user__username="hrb_city")
    assert client.post(url, {"action": "revoke", "grant": harbin_grant.pk, "reason": "越权"}).status_code == 403
