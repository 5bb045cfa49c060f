"""Portal login: clear Chinese errors, safe `next`, CSRF, and the staff/public split."""
from django.test import Client
from django.urls import reverse

PASSWORD = "Passw0rd!2026"
LOGIN = reverse("portal:login")


def test_staff_login_follows_next_inside_the_portal(client, staff):
    response = client.post(LOGIN, {"username": "staff_harbin", "password": PASSWORD, "next": "/portal/identity/"})
    assert response["Location"] == "/portal/identity/"


def test_foreign_next_is_ignored(client, staff):
    response = client.post(LOGIN, {"username": "staff_harbin", "password": PASSWORD,
                                   "next": "https://evil.example/"})
    assert response["Location"] == reverse("portal:home")


def test_login_page_carries_next_from_the_redirect(client, db):
    redirect = client.get(reverse("portal:home"))
    page = client.get(redirect["Location"]).content.decode()
    assert 'name="next" value="/portal/"' in page


def test_wrong_password_and_inactive_account_messages(client, staff):
    wrong = client.post(LOGIN, {"username": "staff_harbin", "password": "x"}).content.decode()
    assert "用户名或密码错误" in wrong
    assert 'data-testid="captcha-image"' in wrong        # after a failure the captcha appears
    user = staff["qiqihar"]
    user.is_active = False
    user.save()
    inactive = client.post(LOGIN, {"username": user.username, "password": PASSWORD}).content.decode()
    assert "用户名或密码错误" in inactive or "已停用" in inactive
    assert "_auth_user_id" not in client.session


def test_portal_login_is_csrf_protected(staff):
    assert Client(enforce_csrf_checks=True).post(LOGIN, {"username": "staff_harbin", "password": PASSWORD}
                                                 ).status_code == 403


def test_signed_in_citizen_sees_a_note_not_a_403(client, citizen):
    client.force_login(citizen)
    response = client.get(LOGIN)
    assert response.status_code == 200 and "工作门户须使用政务工作人员账号" in response.content.decode()


def test_signed_in_staff_goes_straight_to_the_inbox(client, staff):
    client.force_login(staff["harbin"])
    assert client.get(LOGIN)["Location"] == reverse("portal:home")


def test_logout_needs_post_and_ends_the_session(client, staff):
    client.force_login(staff["harbin"])
    response = client.post(reverse("portal:logout"))
    assert response.status_code == 302 and "_auth_user_id" not in client.session
