"""The portal shell: staff log in and see their inbox; public users are kept out."""
import pytest
from django.urls import reverse

from apps.core.navigation import InboxItem, register_inbox


@pytest.fixture
def inbox_provider():
    register_inbox("test-provider", lambda user: [InboxItem(title=f"待审核：{user.username}", url="/x/", category="测试")])
    yield
    from apps.core import navigation

    navigation._inbox.pop("test-provider", None)


def test_staff_logs_in_and_sees_inbox(client, staff, inbox_provider):
    response = client.post(reverse("portal:login"), {"username": "staff_harbin", "password": "Passw0rd!2026"})
    assert response.status_code == 302
    page = client.get(reverse("portal:home"))
    assert page.status_code == 200
    assert "待审核：staff_harbin" in page.content.decode()


def test_citizen_cannot_log_in_to_portal(client, citizen):
    response = client.post(reverse("portal:login"), {"username": "citizen1", "password": "Passw0rd!2026"})
    assert response.status_code == 200
    assert "不是政务工作人员账号" in response.content.decode()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and reverse("portal:login") in response["Location"]
