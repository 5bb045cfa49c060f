"""User info answered from the shared cache (decision 0209): no database query on a hit, and every
change that matters — token revoked or expired, logout, the user's profile or real-name level, the
organisation, an agent authorisation, the client system's claims — is seen on the next call."""
from __future__ import annotations

import secrets
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from apps.core.tests.factories import OrganisationFactory
from apps.identity.models import (
    AgentAuthorisation,
    AgentStatus,
    ClientSystem,
    RealNameLevel,
    UserKind,
)
from apps.identity.sso import userinfo_cache
from apps.identity.tests.factories import UserFactory

PATHS = ["/sso/o/userinfo/", "/sso/api/userinfo"]
REDIRECT = "https://cache.example/callback"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db, oidc_settings, regions):
    organisation = OrganisationFactory(name="哈尔滨市某局")
    user = UserFactory(username="ui_citizen", kind=UserKind.NATURAL_PERSON, full_name="缓存用户",
                       real_name_level=RealNameLevel.BASIC, organisation=organisation,
                       home_region=regions["230102000000"])
    app = get_application_model().objects.create(
        name="ui", client_id="hlj-ui-app", client_type="confidential", client_secret="ui-secret",
        authorization_grant_type="authorization-code", redirect_uris=REDIRECT, skip_authorization=True,
        algorithm="RS256")
    system = ClientSystem.objects.create(code="ui-app", name="缓存测试应用", owner="ui", kind="third_party",
                                         client_id=app.client_id, service_url=REDIRECT, ticket_secret="ui-ticket",
                                         logout_url="https://cache.example/logout",
                                         allowed_claims=["name", "account_type", "real_name_level", "organisation"])
    token = _token(user, app)
    return SimpleNamespace(user=user, app=app, system=system, token=token, organisation=organisation)


def _token(user, app, *, expires=None, scope="openid profile"):
    return get_access_token_model().objects.create(
        user=user, application=app, token=secrets.token_urlsafe(32), scope=scope,
        expires=expires or timezone.now() + timedelta(minutes=10))


def _get(client, path, token):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token.token}")


def _warm(client, path, token):
    """First call keeps the token's ids, second the answer: the third is a hit."""
    answers = [_get(client, path, token) for _ in range(2)]
    assert all(a.status_code == 200 for a in answers)
    return answers[-1].json()


@pytest.mark.parametrize("path", PATHS)
def test_a_repeated_user_info_call_is_answered_without_any_database_query(client, world, path,
                                                                          django_assert_num_queries):
    _get(client, path, _token(world.user, world.app))             # the client system memo (decision 0207)
    with django_assert_num_queries(1):
        first = _get(client, path, world.token)
    with django_assert_num_queries(1):
        second = _get(client, path, world.token)
    with django_assert_num_queries(0):
        hit = _get(client, path, world.token)
    assert hit.status_code == 200 and hit["Content-Type"] == "application/json"
    assert first.json() == second.json() == hit.json()
    assert hit.json()["name"] == "缓存用户" and hit.json()["organisation"] == "哈尔滨市某局"


@pytest.mark.parametrize("path", PATHS)
def test_a_revoked_token_is_refused_on_the_next_call(client, world, path, django_capture_on_commit_callbacks):
    _warm(client, path, world.token)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sso/o/revoke_token/", {"token": world.token.token, "client_id": world.app.client_id,
                                                        "client_secret": "ui-secret"})
    assert response.status_code == 200
    assert not get_access_token_model().objects.filter(pk=world.token.pk).exists()
    assert _get(client, path, world.token).status_code == 401


@pytest.mark.parametrize("path", PATHS)
def test_an_expired_token_is_refused_although_its_answer_is_cached(client, world, path, monkeypatch):
    _warm(client, path, world.token)
    later = world.token.expires.timestamp() + 1
    monkeypatch.setattr(userinfo_cache, "time", SimpleNamespace(time=lambda: later))
    get_access_token_model().objects.filter(pk=world.token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    assert _get(client, path, world.token).status_code == 401


@pytest.mark.parametrize("path", PATHS)
def test_logout_revokes_the_token_at_every_client_and_the_next_call_is_refused(
        client, world, path, django_capture_on_commit_callbacks):
    _warm(client, path, world.token)
    client.force_login(world.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.logout()
    assert _get(client, path, world.token).status_code == 401


@pytest.mark.parametrize("path", PATHS)
def test_a_profile_or_real_name_change_is_seen_on_the_next_call(client, world, path,
                                                                django_capture_on_commit_callbacks):
    assert _warm(client, path, world.token)["real_name_level"] == RealNameLevel.BASIC
    with django_capture_on_commit_callbacks(execute=True):
        world.user.full_name = "改名用户"
        world.user.real_name_level = RealNameLevel.VERIFIED
        world.user.save()
    answer = _get(client, path, world.token).json()
    assert answer["name"] == "改名用户" and answer["real_name_level"] == RealNameLevel.VERIFIED


@pytest.mark.parametrize("path", PATHS)
def test_a_real_name_upgrade_by_direct_update_is_seen_on_the_next_call(client, world, path,
                                                                       django_capture_on_commit_callbacks):
    from django.db import transaction

    _warm(client, path, world.token)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        # what apps.identity.services.levels does (a queryset update, no model signal)
        type(world.user).objects.filter(pk=world.user.pk).update(real_name_level=RealNameLevel.STRONG)
        userinfo_cache.user_changed(world.user.pk)
    assert _get(client, path, world.token).json()["real_name_level"] == RealNameLevel.STRONG


def test_a_slow_reader_cannot_store_an_answer_older_than_a_change(client, world, django_capture_on_commit_callbacks):
    _warm(client, "/sso/api/userinfo", world.token)
    digest = userinfo_cache.checksum(world.token.token)
    found = userinfo_cache.lookup("ticket", digest)               # generations read before its database read
    with django_capture_on_commit_callbacks(execute=True):        # meanwhile the user is renamed and committed
        world.user.full_name = "新名字"
        world.user.save()
    userinfo_cache.store(found, user_id=world.user.pk, organisation_id=world.organisation.pk,   # stale body
                         valid_until=world.token.expires.timestamp(), body=b'{"name": "old"}')
    assert _get(client, "/sso/api/userinfo", world.token).json()["name"] == "新名字"


@pytest.mark.parametrize("path", PATHS)
def test_an_organisation_rename_is_seen_on_the_next_call(client, world, path, django_capture_on_commit_callbacks):
    _warm(client, path, world.token)
    with django_capture_on_commit_callbacks(execute=True):
        world.organisation.name = "哈尔滨市新局"
        world.organisation.save()
    assert _get(client, path, world.token).json()["organisation"] == "哈尔滨市新局"


@pytest.mark.parametrize("path", PATHS)
def test_an_agent_authorisation_appears_and_lapses(client, world, path, django_capture_on_commit_callbacks,
                                                   monkeypatch):
    world.system.allowed_claims = ["name", "agent_of"]
    with django_capture_on_commit_callbacks(execute=True):
        world.system.save()
    assert _warm(client, path, world.token)["agent_of"] == []
    company = UserFactory(username="ui_company", kind=UserKind.LEGAL_PERSON, full_name="某某公司",
                          credit_code="91230100MA1B2C3D4E")
    valid_until = timezone.now() + timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        AgentAuthorisation.objects.create(legal_person=company, agent=world.user, scopes=["apply"],
                                          valid_until=valid_until, status=AgentStatus.ACTIVE)
    assert [a["name"] for a in _get(client, path, world.token).json()["agent_of"]] == ["某某公司"]
    assert [a["name"] for a in _get(client, path, world.token).json()["agent_of"]] == ["某某公司"]
    with django_capture_on_commit_callbacks(execute=True):          # the legal person renames itself
        company.full_name = "某某集团"
        company.save()
    _get(client, path, world.token)
    assert [a["name"] for a in _get(client, path, world.token).json()["agent_of"]] == ["某某集团"]
    # the authorisation lapses by time alone: the cached answer ends with it
    later = valid_until.timestamp() + 1
    monkeypatch.setattr(userinfo_cache, "time", SimpleNamespace(time=lambda: later))
    AgentAuthorisation.objects.filter(agent=world.user).update(valid_until=timezone.now() - timedelta(seconds=1))
    assert _get(client, path, world.token).json()["agent_of"] == []


@pytest.mark.parametrize("path", PATHS)
def test_a_client_system_claims_change_is_seen_on_the_next_call(client, world, path,
                                                                django_capture_on_commit_callbacks):
    assert "organisation" in _warm(client, path, world.token)
    world.system.allowed_claims = ["name"]
    with django_capture_on_commit_callbacks(execute=True):
        world.system.save()
    assert "organisation" not in _get(client, path, world.token).json()


def test_a_deactivated_user_is_refused_in_ticket_mode(client, world, django_capture_on_commit_callbacks):
    _warm(client, "/sso/api/userinfo", world.token)
    with django_capture_on_commit_callbacks(execute=True):
        world.user.is_active = False
        world.user.save()
    assert _get(client, "/sso/api/userinfo", world.token).status_code == 401


@pytest.mark.parametrize("path", PATHS)
def test_each_token_has_its_own_answer_and_error_answers_keep_their_shape(client, world, path):
    other = _token(world.user, world.app, scope="openid")
    _warm(client, path, world.token)
    assert _get(client, path, other).status_code == 200
    forged = SimpleNamespace(token="forged-" + secrets.token_urlsafe(16))
    refused = _get(client, path, forged)
    assert refused.status_code == 401
    if path == "/sso/api/userinfo":
        assert refused.json() == {"error": "访问令牌无效或已过期。"}
    else:
        assert "invalid_token" in refused["WWW-Authenticate"]
    assert client.get(path).status_code == 401


@override_settings(CACHES={"default": {"BACKEND": "apps.core.cache.ResilientRedisCache",
                                       "LOCATION": "redis://127.0.0.1:1/2"}})
@pytest.mark.parametrize("path", PATHS)
def test_user_info_answers_from_the_database_while_redis_is_down(client, world, path):
    answers = [_get(client, path, world.token) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[-1].json()["name"] == "缓存用户"


def test_the_entry_expires_with_the_token(world):
    found = userinfo_cache.lookup("ticket", "d" * 64)
    userinfo_cache.store(found, user_id=1, organisation_id=None, valid_until=time.time() + 0.5, body=b"{}")
    assert cache.get("identity:ui:ticket:" + "d" * 64) is None       # < 1 s left: not worth keeping


def _real_redis():
    import os

    url = os.environ.get("REDIS_URL", "")
    return {"default": {"BACKEND": "apps.core.cache.ResilientRedisCache", "LOCATION": f"{url}/6",
                        "KEY_PREFIX": f"t{secrets.token_hex(4)}"}} if url else None


@pytest.mark.skipif(_real_redis() is None, reason="needs the run's Redis (REDIS_URL)")
@pytest.mark.parametrize("path", PATHS)
def test_the_hit_path_against_the_real_redis(client, world, path, django_assert_num_queries,
                                             django_capture_on_commit_callbacks):
    with override_settings(CACHES=_real_redis()):
        _get(client, path, _token(world.user, world.app))        # the client system memo
        _warm(client, path, world.token)
        with django_assert_num_queries(0):
            assert _get(client, path, world.token).json()["name"] == "缓存用户"
        with django_capture_on_commit_callbacks(execute=True):
            world.token.revoke()
        assert _get(client, path, world.token).status_code == 401


@pytest.mark.parametrize("path", PATHS)
def test_a_move_to_another_organisation_is_seen_and_then_cached_again(client, world, path,
                                                                      django_capture_on_commit_callbacks,
                                                                      django_assert_num_queries):
    _get(client, path, _token(world.user, world.app))             # the client system memo
    _warm(client, path, world.token)
    other = OrganisationFactory(name="大庆市某局")
    with django_capture_on_commit_callbacks(execute=True):
        world.user.organisation = other
        world.user.save()
    answers = [_get(client, path, world.token).json()["organisation"] for _ in range(2)]
    assert answers == ["大庆市某局", "大庆市某局"]
    with django_assert_num_queries(0):
        assert _get(client, path, world.token).json()["organisation"] == "大庆市某局"
    with django_capture_on_commit_callbacks(execute=True):
        other.name = "大庆市新局"
        other.save()
    assert _get(client, path, world.token).json()["organisation"] == "大庆市新局"
