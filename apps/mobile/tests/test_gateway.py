"""Withdrawal, mounting, subscription and the gateway (APP-3.3, 3.4, 3.5, 3.7) over real HTTP."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core import monitoring
from apps.mobile.models import (
    AppVisitDay, InterfaceCallDay, ListingStatus, ResourceCatalogue, ResourceStatus, WithdrawalRequest,
)
from apps.mobile.services import apps as app_services
from apps.mobile.services import interfaces as svc
from apps.mobile.tests.conftest import approved_app, gateway_call, published_resource

pytestmark = pytest.mark.django_db


def gateway_get(client, app, key, code, path="records", **params):
    from urllib.parse import urlencode

    response, payload = gateway_call(client, app, key, code, path, query=urlencode(params))
    response.payload = payload
    return response


@pytest.fixture
def bound(units, upstream, app_site, media):
    """A published resource of Harbin and a listed Harbin app bound to it, with a pending subscription."""
    resource = published_resource(units, "hrb-social", upstream.url)
    app, key = approved_app(units, "hrb.social", app_site.url)
    subscription = svc.subscription_request(actor=units["harbin"], resource=resource, purpose="社保查询")
    app_services.app_bind_interface(actor=units["harbin"], app=app, resource=resource)
    return resource, app, key, subscription


@pytest.mark.spec("APP-3.5", "APP-3.7")
def test_gateway_refuses_until_the_subscription_is_approved_then_proxies(client, units, upstream, bound):
    resource, app, key, subscription = bound
    calls = upstream.simulator.calls
    refused = gateway_get(client, app, key, resource.code, q="1")
    assert refused.status_code == 403 and refused.payload["code"] == "subscription_not_approved"
    assert upstream.simulator.calls == calls                       # nothing reached the upstream
    client.force_login(units["admin"])
    client.post(reverse("mobile:subscription-review", args=[subscription.pk]), {"decision": "approve"})
    client.logout()
    answer = gateway_get(client, app, key, resource.code, path="records/2024", q="1")
    assert answer.status_code == 200
    assert answer.payload["path"] == "/records/2024" and answer.payload["query"] == "q=1"
    assert upstream.simulator.calls == calls + 1
    assert InterfaceCallDay.objects.get(resource=resource).calls == 1
    assert AppVisitDay.objects.get(app=app).gateway_calls == 1
    assert monitoring.read_window(minutes=2)["mobile:hrb-social"]["calls"] >= 1


@pytest.mark.spec("APP-3.7")
def test_gateway_rejects_a_wrong_key_and_an_unbound_resource(client, units, upstream, bound):
    resource, app, key, subscription = bound
    assert gateway_get(client, app, "wrong", resource.code).status_code == 401
    other = published_resource(units, "hrb-other", upstream.url)
    assert gateway_get(client, app, key, other.code).payload["code"] == "not_bound"


@pytest.mark.spec("APP-3.7")
def test_request_n_plus_one_within_the_period_is_rate_limited(client, units, upstream, bound):
    resource, app, key, subscription = bound
    svc.subscription_review(actor=units["admin"], subscription=subscription, approve=True)
    svc.resource_configure(actor=units["harbin"], resource=resource, rate_limit_count=3, rate_limit_seconds=60,
                           is_public=True)
    statuses = [gateway_get(client, app, key, resource.code).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.spec("APP-3.7")
def test_a_delisted_interface_answers_unavailable(client, units, upstream, bound):
    resource, app, key, subscription = bound
    svc.subscription_review(actor=units["admin"], subscription=subscription, approve=True)
    svc.resource_set_listed(actor=units["harbin"], resource=resource, listed=False)
    assert gateway_get(client, app, key, resource.code).status_code == 503


@pytest.mark.spec("APP-3.5")
def test_subscription_page_lists_public_resources_and_records_the_request(client, units, upstream, media):
    published_resource(units, "hrb-public", upstream.url)
    published_resource(units, "hrb-private", upstream.url, is_public=False)
    client.force_login(units["qiqihar"])
    page = client.get(reverse("mobile:subscriptions")).content.decode()
    assert "hrb-public" in page and "hrb-private" not in page


@pytest.mark.spec("APP-3.3")
def test_withdrawal_changes_nothing_until_approved_then_delists_the_apps(client, units, upstream, bound):
    resource, app, key, subscription = bound
    client.force_login(units["harbin"])
    client.post(reverse("mobile:resource-action", args=[resource.pk, "withdraw"]), {"reason": "接口升级"})
    resource.refresh_from_db()
    app.refresh_from_db()
    assert resource.status == ResourceStatus.WITHDRAWING and app.listing_status == ListingStatus.LISTED
    withdrawal = WithdrawalRequest.objects.get(resource=resource)
    client.force_login(units["admin"])
    client.post(reverse("mobile:withdrawal-review", args=[withdrawal.pk]), {"decision": "approve"})
    resource.refresh_from_db()
    app.refresh_from_db()
    assert resource.status == ResourceStatus.WITHDRAWN
    assert app.listing_status == ListingStatus.DELISTED and "接口资源" in app.delist_reason


@pytest.mark.spec("APP-3.3")
def test_a_rejected_withdrawal_needs_a_reason_and_restores_the_resource(units, upstream, bound):
    resource, app, key, subscription = bound
    withdrawal = svc.withdrawal_request(actor=units["harbin"], resource=resource, reason="接口升级")
    with pytest.raises(ValidationError):
        svc.withdrawal_review(actor=units["admin"], withdrawal=withdrawal, approve=False)
    svc.withdrawal_review(actor=units["admin"], withdrawal=withdrawal, approve=False, comment="仍有应用在用")
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED


@pytest.mark.spec("APP-3.4")
def test_mount_lists_only_published_catalogues_and_gives_an_internet_address(client, units, upstream, settings,
                                                                           media):
    settings.MOBILE_GATEWAY_PUBLIC_URL = "https://qss.hlj.gov.cn/api/v1/mobile/gateway"
    resource = published_resource(units, "hrb-mount", upstream.url)
    draft = svc.catalogue_create(actor=units["harbin"], code="hrb-draft", name="草稿目录")
    published = svc.catalogue_create(actor=units["harbin"], code="hrb-pub", name="社保目录")
    client.force_login(units["harbin"])
    client.post(reverse("mobile:catalogues"), {"catalogue": published.pk, "publish": "1"})
    assert ResourceCatalogue.objects.get(pk=published.pk).is_published
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "社保目录" in page and "草稿目录" not in page
    with pytest.raises(ValidationError):
        svc.resource_mount(actor=units["harbin"], resource=resource, catalogue=draft)
    client.post(reverse("mobile:resource-action", args=[resource.pk, "mount"]), {"catalogue": published.pk})
    resource.refresh_from_db()
    assert resource.catalogue == published
    assert resource.internet_url == "https://qss.hlj.gov.cn/api/v1/mobile/gateway/hrb-mount/"


@pytest.mark.spec("APP-5.3", "APP-3.10")
def test_an_app_with_mandatory_encryption_refuses_plaintext_and_answers_sealed(client, units, upstream, bound):
    from apps.mobile import transport

    resource, app, key, subscription = bound
    svc.subscription_review(actor=units["admin"], subscription=subscription, approve=True)
    type(resource).objects.filter(pk=resource.pk).update(method="POST")
    calls = upstream.simulator.calls
    plain, payload = gateway_call(client, app, key, resource.code, query="id=230102", method="post",
                                  body='{"name": "张三"}', encrypt=False)
    assert plain.status_code == 400 and payload["code"] == "encryption_required"
    assert upstream.simulator.calls == calls
    sealed, payload = gateway_call(client, app, key, resource.code, query="id=230102", method="post",
                                   body='{"name": "张三"}')
    assert sealed.status_code == 200 and sealed["X-Payload-Encryption"] == "sm4-gcm"
    assert b"230102" not in sealed.content                                  # the answer is ciphertext
    assert payload["query"] == "id=230102" and payload["body"] == '{"name": "张三"}'
    other_key = transport.derive_transport_key("another-apps-key")
    forged = client.post(f"/api/v1/mobile/gateway/{resource.code}/x",
                         data=transport.seal("sm4", other_key, b"{}", identifier=app.identifier),
                         content_type="text/plain", HTTP_X_APP_ID=app.identifier, HTTP_X_APP_KEY=key,
                         HTTP_X_PAYLOAD_ENCRYPTION="sm4-gcm")
    assert forged.status_code == 400 and forged.json()["code"] == "decryption_failed"


@pytest.mark.spec("APP-5.3")
def test_tls_only_apps_are_refused_over_plain_http(client, units, upstream, bound):
    resource, app, key, subscription = bound
    svc.subscription_review(actor=units["admin"], subscription=subscription, approve=True)
    type(app).objects.filter(pk=app.pk).update(encryption_method="tls")
    url = f"/api/v1/mobile/gateway/{resource.code}/x"
    headers = {"HTTP_X_APP_ID": app.identifier, "HTTP_X_APP_KEY": key}
    assert client.get(url, **headers).json()["code"] == "encryption_required"
    assert client.get(url, secure=True, **headers).status_code == 200
