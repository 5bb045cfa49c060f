"""Government staff registration (IDN-13.1): department and real-name check, review, then the work
portal login."""
import pytest

from apps.identity.captcha import SESSION_KEY
from apps.identity.models import ReviewStatus, User, UserKind
from apps.identity.tests.conftest import PASSWORD, PERSON_ID, PERSON_NAME, give

pytestmark = pytest.mark.django_db
FORM = {"id_type": "resident_id", "name": PERSON_NAME, "id_number": PERSON_ID, "valid_from": "2015-01-01",
        "valid_to": "2035-01-01", "username": "zs_staff", "mobile_number": "13700006666",
        "password": "Hlj#Staff2026", "password_confirm": "Hlj#Staff2026"}


@pytest.mark.spec("IDN-13.1")
def test_staff_registers_with_department_and_real_name_check_then_logs_in(client, orgs, identity_peers, staff):
    department = orgs["harbin_dept"]
    form = {**FORM, "organisation": department.pk}
    page = client.get("/sso/register-staff/").content.decode()
    assert "政务工作人员注册" in page and department.name in page
    refused = client.post("/sso/register-staff/", form)                 # nobody at the registries yet
    assert refused.status_code == 400 and "核验未通过" in refused.content.decode()
    assert not User.objects.filter(username="zs_staff").exists()
    identity_peers.person()
    assert client.post("/sso/register-staff/", {**form, "organisation": ""}).status_code == 400
    done = client.post("/sso/register-staff/", form)
    assert 'data-testid="staff-registered"' in done.content.decode()
    member = User.objects.get(username="zs_staff")
    assert member.kind == UserKind.STAFF and member.organisation == department and not member.is_active
    assert member.review_status == ReviewStatus.PENDING
    login = {"username": "zs_staff", "password": "Hlj#Staff2026"}
    assert client.post("/portal/login/", login).status_code == 200 and "_auth_user_id" not in client.session
    reviewer = staff["province"]
    give(reviewer, "identity.review_registration")
    client.force_login(reviewer)
    assert "zs_staff" in client.get("/portal/identity/reviews/?kind=staff").content.decode()
    client.post(f"/portal/identity/reviews/{member.pk}/", {"decision": "approve"})
    client.logout()
    member.refresh_from_db()
    assert member.is_active and member.review_status == ReviewStatus.APPROVED
    client.get("/sso/captcha.png")                     # the refused attempt above asks for a captcha now
    assert client.post("/portal/login/", {**login, "captcha": client.session[SESSION_KEY]}).status_code == 302
    assert int(client.session["_auth_user_id"]) == member.pk
    # the same person cannot register a second staff account
    client.logout()
    again = client.post("/sso/register-staff/", {**form, "username": "zs_staff2"})
    assert again.status_code == 400 and not User.objects.filter(username="zs_staff2").exists()


@pytest.mark.spec("IDN-13.2")
def test_staff_log_in_at_the_unified_portal_entry(client, staff, citizen):
    """Account and password are verified; success opens the work portal, a wrong password or a
    public account does not, and the login is audited."""
    from apps.core.models import AuditLog

    clerk = staff["harbin_dept"]
    assert client.get("/portal/").status_code == 302
    page = client.get("/portal/login/").content.decode()
    assert 'name="username"' in page and 'name="password"' in page
    wrong = client.post("/portal/login/", {"username": clerk.username, "password": "wrong"})
    assert wrong.status_code == 200 and "用户名或密码错误" in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    public = client.post("/portal/login/", {"username": citizen.username, "password": PASSWORD,
                                            "captcha": client.session.get(SESSION_KEY, "")})
    assert public.status_code == 200 and "_auth_user_id" not in client.session
    client.get("/sso/captcha.png")
    done = client.post("/portal/login/", {"username": clerk.username, "password": PASSWORD,
                                          "captcha": client.session[SESSION_KEY]})
    assert done.status_code == 302 and int(client.session["_auth_user_id"]) == clerk.pk
    assert client.get("/portal/").status_code == 200
    assert AuditLog.objects.filter(actor=clerk, action="login").exists()
