"""User component and message component (APP-2.1, APP-2.4), developer centre (APP-2, 2.2, 2.3)."""
import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from apps.core.outbox import deliver
from apps.core.models import OutboxMessage
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory
from apps.mobile.models import Component, PushMessage, UserBinding
from apps.mobile.services import apps as app_services
from apps.mobile.tests.conftest import approved_app

pytestmark = pytest.mark.django_db
USER_URL = "/api/v1/mobile/components/user/"
PUSH_URL = "/api/v1/mobile/components/messages/"


@pytest.fixture
def listed(units, media, app_site):
    return approved_app(units, "hrb.comp", app_site.url)


@pytest.fixture
def citizen_user(db):
    return UserFactory(username="zhangsan", kind=UserKind.NATURAL_PERSON, full_name="张三",
                       mobile_number="13900001234")


def headers(app, key):
    return {"HTTP_X_APP_ID": app.identifier, "HTTP_X_APP_KEY": key}


@pytest.mark.spec("APP-2.1")
def test_the_app_gets_the_signed_in_unified_user_and_binds_it(client, listed, citizen_user):
    app, key = listed
    assert client.get(USER_URL, **headers(app, key)).status_code in (401, 403)      # nobody signed in
    client.force_login(citizen_user)                          # the unified-identity session of the WebView
    assert client.get(USER_URL, HTTP_X_APP_ID=app.identifier, HTTP_X_APP_KEY="bad").status_code in (401, 403)
    first = client.get(USER_URL, **headers(app, key)).json()
    assert first["name"] == "张三" and first["mobile_number"] == "139****1234"
    second = client.get(USER_URL, **headers(app, key)).json()
    assert first["open_id"] == second["open_id"] and UserBinding.objects.filter(app=app).count() == 1
    bound = client.post(USER_URL, {"app_account": "zs001"}, content_type="application/json", **headers(app, key))
    assert bound.json()["app_account"] == "zs001"


@pytest.mark.spec("APP-2.1")
def test_the_user_component_accepts_the_platform_api_token_too(client, listed, citizen_user):
    app, key = listed
    token = Token.objects.create(user=citizen_user)
    answer = client.get(USER_URL, HTTP_AUTHORIZATION=f"Token {token.key}", **headers(app, key))
    assert answer.status_code == 200 and answer.json()["name"] == "张三"


@pytest.mark.spec("APP-2.1", "APP-5.2")
def test_switching_the_user_component_off_refuses_the_app(client, units, listed, citizen_user):
    app, key = listed
    app_services.app_set_component(actor=units["admin"], app=app, component=Component.objects.get(code="user"),
                                   enabled=False)
    client.force_login(citizen_user)
    assert client.get(USER_URL, **headers(app, key)).status_code == 403
    assert not UserBinding.objects.exists()


@pytest.mark.spec("APP-2.4")
def test_an_app_pushes_a_message_stored_and_delivered_through_the_outbox(client, listed, citizen_user,
                                                                        push_gateway):
    app, key = listed
    client.force_login(citizen_user)
    open_id = client.get(USER_URL, **headers(app, key)).json()["open_id"]
    client.logout()
    body = {"open_id": open_id, "title": "办件进度", "content": "您的申请已受理", "request_id": "case-1"}
    answer = client.post(PUSH_URL, body, content_type="application/json", **headers(app, key))
    assert answer.status_code == 201
    again = client.post(PUSH_URL, body, content_type="application/json", **headers(app, key))
    assert again.json()["id"] == answer.json()["id"] and PushMessage.objects.count() == 1
    message = OutboxMessage.objects.get(peer="mobile_push")
    deliver(message.pk)
    assert push_gateway.simulator.pushes[0]["open_id"] == open_id
    assert push_gateway.simulator.pushes[0]["title"] == "办件进度"
    assert PushMessage.objects.get().delivered_at is not None


@pytest.mark.spec("APP-2.4")
def test_push_refuses_an_unbound_user_and_empty_content(client, listed):
    app, key = listed
    answer = client.post(PUSH_URL, {"open_id": "nobody", "title": "x", "content": "", "request_id": "r"},
                         content_type="application/json", **headers(app, key))
    assert answer.status_code == 400 and not PushMessage.objects.exists() and not OutboxMessage.objects.filter(
        peer="mobile_push").exists()


@pytest.mark.spec("APP-2", "APP-2.2", "APP-2.3")
def test_developer_centre_shows_process_and_code_samples_of_open_components(client, units):
    Component.objects.filter(code="share").update(is_open=False)
    client.force_login(units["harbin"])
    page = client.get(reverse("mobile:centre")).content.decode()
    for text in ("平台概述", "应用接入流程", "UI 设计规范", "JSAPI", "消息", "/api/v1/mobile/components/user/",
                 "navigator.geolocation"):
        assert text in page
    assert 'data-testid="component-share"' not in page
