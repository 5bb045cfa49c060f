"""Sessions and tokens: short-lived access tokens, refresh-token rotation (a used refresh token is
refused), and logout that ends the SSO session in every connected client by OIDC back-channel
logout — through the outbox, so a client that is down gets the notice later."""
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from jwcrypto import jwk

from apps.core.adapters.simulators import SimulatorServer
from apps.core.models import OutboxMessage, OutboxStatus
from apps.core.outbox import deliver
from apps.identity.adapters.simulators_logout import BackchannelLogoutClientSimulator
from apps.identity.models import ClientSystem, RealNameLevel, SsoTicket, UserKind
from apps.identity.sso.backchannel import PEER
from apps.identity.tests.conftest import rsa_private_key_pem
from apps.identity.tests.factories import UserFactory
from apps.identity.tests.test_sso import CALLBACK, prepare_client, seeded_client_systems  # noqa: F401

pytestmark = pytest.mark.django_db
ISSUER = "http://testserver/sso/o"


@pytest.fixture
def person(regions):
    return UserFactory(username="session_user", full_name="赵六", kind=UserKind.NATURAL_PERSON,
                       real_name_level=RealNameLevel.VERIFIED, home_region=regions["230102000000"])


def code_flow(client, system: ClientSystem) -> dict:
    response = client.get("/sso/o/authorize/", {"response_type": "code", "client_id": system.client_id,
                                                "redirect_uri": CALLBACK, "scope": "openid profile",
                                                "nonce": "n1", "state": "s1"})
    assert response.status_code == 302 and response["Location"].startswith(CALLBACK), response.content[:300]
    code = parse_qs(urlparse(response["Location"]).query)["code"][0]
    token = client.post("/sso/o/token/", {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
                                          "client_id": system.client_id, "client_secret": "client-secret-2026"})
    assert token.status_code == 200, token.content
    return token.json()


def refresh(client, system: ClientSystem, refresh_token: str):
    return client.post("/sso/o/token/", {"grant_type": "refresh_token", "refresh_token": refresh_token,
                                         "client_id": system.client_id, "client_secret": "client-secret-2026"})


def test_access_tokens_are_short_lived_and_refresh_tokens_rotate(client, oidc_settings, person, settings):
    assert settings.OAUTH2_PROVIDER.get("ROTATE_REFRESH_TOKEN", True) is True
    assert settings.OAUTH2_PROVIDER.get("REFRESH_TOKEN_GRACE_PERIOD_SECONDS", 0) == 0
    system = prepare_client("harbin-unified")
    client.force_login(person)
    first = code_flow(client, system)
    assert 0 < first["expires_in"] <= settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"] <= 3600
    second = refresh(client, system, first["refresh_token"])
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"] and rotated["access_token"] != first["access_token"]
    replay = refresh(client, system, first["refresh_token"])            # the used refresh token is dead
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    old_access = client.get("/sso/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {first['access_token']}")
    assert old_access.status_code == 401
    assert client.get("/sso/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {rotated['access_token']}").status_code == 200
    assert refresh(client, system, rotated["refresh_token"]).status_code == 200


@pytest.fixture
def relying_parties():
    """Two department systems on real sockets that check logout tokens like real clients."""
    public = jwk.JWK.from_pem(rsa_private_key_pem().encode()).export_public(as_dict=True)
    jwks = {"keys": [{**public, "alg": "RS256", "use": "sig"}]}
    made = {}
    for code, audience in (("harbin-unified", "hlj-harbin-unified"), ("qitaihe-city-identity", None)):
        system = ClientSystem.objects.get(code=code)
        simulator = BackchannelLogoutClientSimulator(issuer=ISSUER, audience=audience or system.client_id, jwks=jwks)
        server = SimulatorServer(simulator).start()
        simulator.url = server.url
        made[code] = (simulator, server)
    yield {code: simulator for code, (simulator, _server) in made.items()}
    for _simulator, server in made.values():
        server.stop()


def test_logout_ends_the_sso_session_at_every_connected_client(client, oidc_settings, person, relying_parties,
                                                               django_capture_on_commit_callbacks):
    oidc = prepare_client("harbin-unified")
    ticketed = prepare_client("qitaihe-city-identity", service="https://qth.example.cn/sso")
    idle = prepare_client("daqing-unified", service="https://dq.example.cn/sso")
    servers = {code: sim for code, sim in relying_parties.items()}
    for system, code in ((oidc, "harbin-unified"), (ticketed, "qitaihe-city-identity")):
        system.logout_url = f"{_server_url(servers[code])}/logout"
        system.save(update_fields=["logout_url"])
    idle.logout_url = "http://127.0.0.1:9/never"          # connected to nothing: must not be told
    idle.save(update_fields=["logout_url"])
    client.force_login(person)
    tokens = code_flow(client, oidc)
    issued = client.get("/sso/ticket/", {"app_id": ticketed.code, "redirect_uri": "https://qth.example.cn/sso/a"})
    ticket = parse_qs(urlparse(issued["Location"]).query)["ticket"][0]
    relying_parties["qitaihe-city-identity"].down = True
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/logout/").status_code == 302
    messages = OutboxMessage.objects.filter(peer=PEER)
    assert messages.count() == 2                           # the idle system got nothing
    harbin = relying_parties["harbin-unified"]
    assert len(harbin.logged_out) == 1 and harbin.refused == []
    claims = harbin.logged_out[0]
    assert claims["sub"] == str(person.pk) and claims["aud"] == "hlj-harbin-unified" and claims["iss"] == ISSUER
    # the tokens of the ended session are dead at once: refresh refused, user info refused
    assert refresh(client, oidc, tokens["refresh_token"]).status_code == 400
    assert client.get("/sso/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}").status_code == 401
    assert SsoTicket.objects.get(ticket=ticket).used_at is not None    # an unredeemed ticket cannot be used now
    late = client.post("/sso/api/ticket/token", {"app_id": ticketed.code, "app_secret": ticketed.ticket_secret,
                                                 "ticket": ticket})
    assert late.status_code == 400
    # the client that was down gets its notice when it is back
    waiting = messages.get(status=OutboxStatus.PENDING)
    assert relying_parties["qitaihe-city-identity"].attempts == waiting.attempts >= 1
    assert relying_parties["qitaihe-city-identity"].logged_out == []
    relying_parties["qitaihe-city-identity"].down = False
    OutboxMessage.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert deliver(waiting.pk) == OutboxStatus.DELIVERED
    later = relying_parties["qitaihe-city-identity"].logged_out
    assert len(later) == 1 and later[0]["aud"] == ticketed.client_id and later[0]["sub"] == str(person.pk)


def test_a_forged_or_replayed_logout_token_is_refused_by_the_client(oidc_settings, person, relying_parties):
    from apps.identity.sso.backchannel import logout_token

    system = ClientSystem.objects.get(code="harbin-unified")
    simulator = relying_parties["harbin-unified"]
    token = logout_token(client=system, user=person)
    assert simulator.check(token)["sub"] == str(person.pk)
    simulator.logged_out.append(simulator.check(token))
    with pytest.raises(ValueError, match="replayed"):
        simulator.check(token)
    other = logout_token(client=ClientSystem.objects.get(code="qitaihe-city-identity"), user=person)
    with pytest.raises(ValueError, match="audience"):
        simulator.check(other)
    with pytest.raises(Exception):  # noqa: B017 — a tampered signature
        simulator.check(token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"))


def _server_url(simulator) -> str:
    return simulator.url
