"""The public site: citizens log in and are welcomed; staff are sent to the portal; the home page
is accessible and switches to Russian."""
from django.urls import reverse

from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory

PASSWORD = "Passw0rd!2026"


def test_citizen_logs_in_and_is_welcomed(client, citizen):
    response = client.post(reverse("public:login"), {"username": "citizen1", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("public:home")
    page = client.get(reverse("public:home")).content.decode()
    assert 'data-testid="welcome"' in page and str(citizen) in page


def test_enterprise_logs_in_too(client, db):
    UserFactory(username="ent1", kind=UserKind.LEGAL_PERSON)
    assert client.post(reverse("public:login"), {"username": "ent1", "password": PASSWORD}).status_code == 302


def test_staff_cannot_log_in_on_the_public_site(client, staff):
    response = client.post(reverse("public:login"), {"username": "staff_harbin", "password": PASSWORD})
    assert response.status_code == 200
    assert "政务工作人员请从工作门户登录" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_gets_a_clear_chinese_message(client, citizen):
    response = client.post(reverse("public:login"), {"username": "citizen1", "password": "nope"})
    assert "用户名或密码错误" in response.content.decode()
    empty = client.post(reverse("public:login"), {"username": "", "password": ""}).content.decode()
    assert "请输入用户名" in empty and "请输入密码" in empty


def test_next_is_followed_only_within_the_site(client, citizen):
    ok = client.post(reverse("public:login") + "?next=/login/", {"username": "citizen1", "password": PASSWORD,
                                                                  "next": "/?q=shebao"})
    assert ok["Location"] == "/?q=shebao"
    client.logout()
    evil = client.post(reverse("public:login"), {"username": "citizen1", "password": PASSWORD,
                                                 "next": "https://evil.example/"})
    assert evil["Location"] == reverse("public:home")


def test_login_form_is_csrf_protected(citizen):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("public:login"), {"username": "citizen1", "password": PASSWORD}).status_code == 403


def test_home_page_is_accessible(client, db):
    html = client.get(reverse("public:home")).content.decode()
    assert 'class="skip-link" href="#main"' in html and 'id="main"' in html
    assert '<label for="site-search"' in html and 'role="search"' in html
    assert "data-toggle-text-size" in html and 'name="language" value="ru"' in html
    assert "个人服务" in html and "法人服务" in html


def test_language_switch_to_russian(client, db):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert "Портал государственных услуг провинции Хэйлунцзян" in html
    assert 'value="zh-hans"' in html


def test_home_page_search_and_case_query_lead_to_the_real_services(client, db):
    html = client.get(reverse("public:home")).content.decode()
    assert f'action="{reverse("matters-public:guide-list")}"' in html                    # the matter search
    assert f'action="{reverse("acceptance-public:lookup")}"' in html and 'name="case_number"' in html
    assert reverse("stores-public:query-zone") in html
    assert reverse("public:zone", args=["ftz"]) in html and reverse("public:zone", args=["russia"]) in html
    assert client.get(reverse("matters-public:guide-list"), {"q": "营业执照"}).status_code == 200
