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
