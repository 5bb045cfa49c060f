"""MAT-7.6: password initialisation opened to city and county business-environment bureaux — scope,
search, the SMS one-time link (never a password), audit, and setting the new password through the link."""
import pytest

from apps.core.models import AuditLog, OrganisationKind, SmsMessage
from apps.core.tests.factories import OrganisationFactory
from apps.identity.models import PasswordInitLink, User
from apps.identity.tests.conftest import PASSWORD, give
from apps.identity.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/portal/identity/password-resets/"
FORCE = "apps.identity.middleware.PasswordChangeRequiredMiddleware"


@pytest.fixture
def people(orgs, regions):
    daoli_bureau = OrganisationFactory(name="道里区营商环境建设监督局", region=regions["230102000000"],
                                       kind=OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU, parent=orgs["harbin"])
    made = {
        "harbin_admin": StaffFactory(username="hrb_admin", organisation=orgs["harbin"], full_name="哈尔滨管理员"),
        "daoli_admin": StaffFactory(username="dl_admin", organisation=daoli_bureau, full_name="道里管理员"),
        "harbin_clerk": StaffFactory(username="hrb_clerk", organisation=orgs["harbin_dept"], full_name="张市监",
                                     mobile_number="13900001111", sort_order=2),
        "daoli_clerk": StaffFactory(username="dl_clerk", organisation=orgs["daoli_dept"], full_name="李道里",
                                    mobile_number="13900002222", sort_order=1),
        "qiqihar_clerk": StaffFactory(username="qqhr_clerk", organisation=orgs["qiqihar"], full_name="王齐市",
                                      mobile_number="13900003333"),
        "dept_user": StaffFactory(username="dept_user", organisation=orgs["harbin_dept"]),
    }
    for key in ("harbin_admin", "daoli_admin", "dept_user"):
        give(made[key], "identity.reset_password", code=f"reset_{key}")
    return made


def rows(client, query=""):
    page = client.get(URL + query)
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.spec("MAT-7.6")
def test_city_and_county_bureaux_reset_passwords_of_their_own_region_only(client, people, sms_simulator,
                                                                           django_capture_on_commit_callbacks):
    client.force_login(people["harbin_admin"])
    page = rows(client)
    assert "当前区划：哈尔滨市" in page
    assert "hrb_clerk" in page and "dl_clerk" in page and "qqhr_clerk" not in page
    assert page.index("dl_clerk") < page.index("hrb_clerk")            # sort order column drives the list
    assert "dl_clerk" not in rows(client, "?department=市场监督管理局&username=hrb")
    assert "hrb_clerk" in rows(client, "?department=哈尔滨市市场") and "dl_clerk" not in rows(client, "?full_name=张")
    # the county bureau sees its county only
    client.force_login(people["daoli_admin"])
    county = rows(client)
    assert "当前区划：道里区" in county and "dl_clerk" in county and "hrb_clerk" not in county
    refused = client.post(URL, {"user": people["harbin_clerk"].pk}, follow=True)
    assert "不在您所在区划" in refused.content.decode()
    # the Harbin bureau resets its clerk's password: the old one stops working, the SMS carries a one-time link
    client.force_login(people["harbin_admin"])
    clerk = people["harbin_clerk"]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(URL, {"user": clerk.pk}, follow=True)
    assert "一次性链接已通过短信发送" in done.content.decode()
    message = sms_simulator.messages[-1]
    assert message["mobile"] == "13900001111" and "/sso/password-init/" in message["content"]
    clerk.refresh_from_db()
    assert not clerk.has_usable_password() and not clerk.check_password(PASSWORD) and clerk.password_must_change
    record = AuditLog.objects.filter(detail="初始化登录密码").get()
    assert record.actor_id == people["harbin_admin"].pk and record.object_id == str(clerk.pk)
    # another city's clerk is unreachable: nothing changed, no SMS
    sent = SmsMessage.objects.count()
    other = client.post(URL, {"user": people["qiqihar_clerk"].pk}, follow=True)
    assert "不在您所在区划" in other.content.decode()
    qiqihar = User.objects.get(pk=people["qiqihar_clerk"].pk)
    assert qiqihar.check_password(PASSWORD) and not qiqihar.password_must_change and SmsMessage.objects.count() == sent


def _link_path(sms_simulator) -> str:
    content = sms_simulator.messages[-1]["content"]
    return "/sso/password-init/" + content.split("/sso/password-init/")[1].split("/")[0] + "/"


@pytest.mark.spec("MAT-7.6")
def test_the_sms_link_sets_the_new_password_once_and_no_password_is_kept_in_clear(
        client, people, sms_simulator, settings, django_capture_on_commit_callbacks):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, FORCE]
    client.force_login(people["harbin_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"user": people["daoli_clerk"].pk})
    first_link = _link_path(sms_simulator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"user": people["daoli_clerk"].pk})       # a second initialisation supersedes the first
    link = _link_path(sms_simulator)
    client.logout()
    assert client.get(first_link).status_code == 410
    page = client.get(link)
    assert page.status_code == 200 and "dl_clerk" in page.content.decode()
    # mismatch and a weak password are refused with a message; nothing written, the link still works
    mismatch = client.post(link, {"new_password": "Hlj#New2026pw", "new_password_confirm": "Hlj#Other2026"})
    assert mismatch.status_code == 400 and "两次输入的新密码不一致" in mismatch.content.decode()
    weak = client.post(link, {"new_password": "123", "new_password_confirm": "123"})
    assert weak.status_code == 400 and not User.objects.get(username="dl_clerk").has_usable_password()
    done = client.post(link, {"new_password": "Hlj#New2026pw", "new_password_confirm": "Hlj#New2026pw"})
    assert done.status_code == 302 and done["Location"] == "/portal/login/"
    clerk = User.objects.get(username="dl_clerk")
    assert clerk.check_password("Hlj#New2026pw") and not clerk.password_must_change
    # the link is used up; the SMS log holds only a dead link, and no secret is stored anywhere in clear
    again = client.post(link, {"new_password": "Hlj#Third2026pw", "new_password_confirm": "Hlj#Third2026pw"})
    assert again.status_code == 410 and User.objects.get(username="dl_clerk").check_password("Hlj#New2026pw")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not any("Hlj#New2026pw" in sms.content for sms in SmsMessage.objects.all())
    assert not any("密码：" in sms.content for sms in SmsMessage.objects.all())
    assert not any("password-init" in sms.content + sms.secret for sms in SmsMessage.objects.all())  # wiped
    assert not PasswordInitLink.objects.filter(token_digest=token).exists()
    assert PasswordInitLink.objects.filter(user=clerk, used_at__isnull=True).count() == 0
    # and the staff member logs in with the new password, no forced change left
    assert client.post("/portal/login/", {"username": "dl_clerk", "password": "Hlj#New2026pw"}).status_code == 302
    assert client.get("/portal/").status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "citizen", "department", "no_permission"])
def test_only_bureau_staff_with_the_permission_may_reset(client, people, citizen, orgs, who):
    target = people["harbin_clerk"]
    users = {"citizen": citizen, "department": people["dept_user"],
             "no_permission": StaffFactory(username="plain", organisation=orgs["harbin"])}
    if who in users:
        client.force_login(users[who])
    page = client.get(URL)
    assert page.status_code in (302, 403)
    client.post(URL, {"user": target.pk})
    target.refresh_from_db()
    assert target.check_password(PASSWORD) and not target.password_must_change


def test_account_without_mobile_or_public_account_is_refused(client, people, sms_simulator):
    no_mobile = StaffFactory(username="nomobile", organisation=people["harbin_clerk"].organisation, mobile_number="")
    person = UserFactory(username="someone")
    client.force_login(people["harbin_admin"])
    refused = client.post(URL, {"user": no_mobile.pk}, follow=True).content.decode()
    assert "未登记手机号码" in refused
    assert "不在您所在区划" in client.post(URL, {"user": person.pk}, follow=True).content.decode()
    assert not User.objects.filter(password_must_change=True).exists() and not SmsMessage.objects.exists()
