"""API token authentication loads the user's organisation and region with the token."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from apps.core.tests.factories import grant
from apps.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/core/organisations/"


def test_token_brings_organisation_and_region_in_one_query(client, orgs):
    user = grant(StaffFactory(username="hrb_api", organisation=orgs["harbin"]), "core.view_organisation",
                 role_code="org-viewer")
    token = Token.objects.create(user=user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and response.json()["count"] > 0
    first = queries.captured_queries[0]["sql"]
    assert "authtoken_token" in first and "core_organisation" in first and "core_region" in first
    assert not any(q["sql"].startswith('SELECT "core_region"') for q in queries.captured_queries[1:])


def test_unknown_or_inactive_token_is_refused_clearly(client, orgs):
    assert "令牌无效" in client.get(URL, HTTP_AUTHORIZATION="Token nope").json()["message"]
    user = StaffFactory(username="hrb_gone", organisation=orgs["harbin"], is_active=False)
    token = Token.objects.create(user=user)
    assert "已停用" in client.get(URL, HTTP_AUTHORIZATION=f"Token {token.key}").json()["message"]


def _token_queries(queries) -> int:
    return sum('FROM "authtoken_token"' in q["sql"] for q in queries.captured_queries)


def test_a_repeated_call_reads_the_token_from_the_cache_until_something_changes(client, orgs):
    user = grant(StaffFactory(username="hrb_api2", organisation=orgs["harbin"]), "core.view_organisation",
                 role_code="org-viewer")
    token = Token.objects.create(user=user)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    with CaptureQueriesContext(connection) as first:
        assert client.get(URL, **auth).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(URL, **auth).status_code == 200
    assert _token_queries(first) == 1 and _token_queries(second) == 0
    orgs["harbin"].name = "哈尔滨市营商环境建设监督局（更名）"
    orgs["harbin"].save()
    with CaptureQueriesContext(connection) as after_change:
        assert client.get(URL, **auth).status_code == 200
    assert _token_queries(after_change) == 1


def test_deactivating_the_user_or_deleting_the_token_ends_access_on_the_next_call(client, orgs):
    user = grant(StaffFactory(username="hrb_api3", organisation=orgs["harbin"]), "core.view_organisation",
                 role_code="org-viewer")
    token = Token.objects.create(user=user)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get(URL, **auth).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert "已停用" in client.get(URL, **auth).json()["message"]
    user.is_active = True
    user.save(update_fields=["is_active"])
    assert client.get(URL, **auth).status_code == 200
    token.delete()
    assert "令牌无效" in client.get(URL, **auth).json()["message"]


def _user_queries(queries) -> int:
    return sum(q["sql"].startswith('SELECT "identity_user"') or 'FROM "django_session"' in q["sql"]
               for q in queries.captured_queries)


def test_a_portal_page_reads_session_and_user_from_the_cache_until_the_user_changes(client, orgs):
    user = grant(StaffFactory(username="hrb_portal", organisation=orgs["harbin"]), "core.view_organisation",
                 role_code="org-viewer")
    client.force_login(user)
    url = "/portal/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert _user_queries(second) == 0
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
