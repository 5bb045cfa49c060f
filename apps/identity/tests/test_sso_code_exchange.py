"""Decision 0210: the lean authorization-code exchange (apps.identity.sso.code_exchange).

Every check of RFC 6749 §4.1.3 / §2.3.1, RFC 7636 and OIDC Core that the library makes is shown
here twice — with the lean path on and off (`IDENTITY_LEAN_CODE_EXCHANGE = False` is the library
alone) — and the two answers must be the same: status, error code, the headers a client relies on
(WWW-Authenticate, Cache-Control, Pragma), and what is left in the database. Successes must be
served by the lean path (two statements) and its tokens must work like the library's for user info,
refresh and logout."""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
from datetime import timedelta

import pytest
from authlib.jose import JsonWebKey, jwt
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from apps.identity.models import ClientSystem, RealNameLevel, UserKind
from apps.identity.sso import code_exchange
from apps.identity.sso.prepared import original
from apps.identity.tests.factories import UserFactory

REDIRECT = "https://rp.example/callback"
SECRET = "lean-secret-" + "x" * 30
NONCE = "n-0S6_WzA2Mj"


@pytest.fixture
def rp(db, oidc_settings, regions):
    user = UserFactory(username="lean_user", kind=UserKind.NATURAL_PERSON, full_name="赵六",
                       real_name_level=RealNameLevel.VERIFIED, home_region=regions["230102000000"],
                       mobile_number="13700003333")
    app = get_application_model().objects.create(
        name="lean", client_id="hlj-lean-app", client_type="confidential", client_secret=SECRET,
        authorization_grant_type="authorization-code", redirect_uris=REDIRECT, skip_authorization=True,
        algorithm="RS256")
    other = get_application_model().objects.create(
        name="other", client_id="hlj-other-app", client_type="confidential", client_secret=SECRET,
        authorization_grant_type="authorization-code", redirect_uris=REDIRECT, skip_authorization=True,
        algorithm="RS256")
    ClientSystem.objects.create(code="lean-app", name="精简路径应用", owner="t", kind="third_party",
                                client_id=app.client_id, service_url=REDIRECT,
                                logout_url="http://127.0.0.1:9/logout")      # connected: logout revokes its tokens
    return {"user": user, "app": app, "other": other}


def grant(rp, *, app=None, minutes=1, challenge="", method="", scope="openid profile", nonce=NONCE):
    return get_grant_model().objects.create(
        application=app or rp["app"], user=rp["user"], code=secrets.token_urlsafe(24), redirect_uri=REDIRECT,
        expires=timezone.now() + timedelta(minutes=minutes), scope=scope, nonce=nonce,
        code_challenge=challenge, code_challenge_method=method).code


def basic(client_id="hlj-lean-app", secret=SECRET):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def post(client, data, authorization=None):
    extra = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    return client.post("/sso/o/token/", data, **extra)


def exchange(client, code, *, authorization=None, **fields):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, **fields}
    return post(client, data, basic() if authorization is None else authorization)


def counts():
    return tuple(model.objects.count() for model in (get_grant_model(), get_id_token_model(),
                                                     get_access_token_model(), get_refresh_token_model()))


def answer(response) -> dict:
    """What a client sees of a refusal."""
    return {"status": response.status_code, "error": response.json().get("error"),
            "www": response.get("WWW-Authenticate"), "cache": response.get("Cache-Control"),
            "pragma": response.get("Pragma")}


def both(settings, run):
    """`run()` with the lean path on, then off (library only); both answers and row-count changes."""
    results = []
    for lean in (True, False):
        settings.IDENTITY_LEAN_CODE_EXCHANGE = lean
        before = counts()
        response = run()
        results.append((answer(response), tuple(b - a for a, b in zip(before, counts()))))
    return results


def refused_alike(settings, run, rows=(1, 0, 0, 0)):
    """Both paths refuse alike and uncached; `rows`: the change in (grants, ID tokens, access tokens,
    refresh tokens) — by default the grant `run` made is kept and no token row written. Returns what
    the client saw, for the test to check status and error."""
    (lean, lean_rows), (library, library_rows) = both(settings, run)
    assert lean == library, (lean, library)
    assert lean["cache"] == "no-store" and lean["pragma"] == "no-cache"
    assert lean_rows == library_rows == rows
    return lean


# --- successes are served by the lean path -------------------------------------------------------------

def test_success_is_two_statements_and_the_tokens_are_the_librarys(client, rp, settings):
    exchange(client, grant(rp))                                       # warm caches
    code = grant(rp)
    with CaptureQueriesContext(connection) as queries:
        response = exchange(client, code)
    assert response.status_code == 200, response.content
    sent = [original(q["sql"]) for q in queries.captured_queries]
    statements = [sql.split()[0] for sql in sent if not sql.startswith(("SET", "SAVE", "RELEASE"))]
    assert statements == ["WITH"]          # decision 0213: check and spend the code, three rows, the user
    assert response["Cache-Control"] == "no-store" and response["Pragma"] == "no-cache"
    assert response["Content-Type"] == "application/json"
    lean = response.json()
    settings.IDENTITY_LEAN_CODE_EXCHANGE = False
    library = exchange(client, grant(rp)).json()
    assert list(lean) == list(library)               # same keys, same order
    assert lean["token_type"] == "Bearer" and lean["scope"] == "openid profile" and lean["expires_in"] == 600
    assert not get_grant_model().objects.filter(code=code).exists()
    jwks = JsonWebKey.import_key_set(client.get("/sso/o/.well-known/jwks.json").json())
    claims = jwt.decode(lean["id_token"], jwks)
    claims.validate()
    reference = jwt.decode(library["id_token"], jwks)
    assert set(claims) == set(reference)
    assert claims.header == reference.header and claims.header["alg"] == "RS256" and "kid" in claims.header
    assert claims["nonce"] == NONCE and claims["aud"] == "hlj-lean-app" and claims["iss"] == "http://testserver/sso/o"
    assert claims["sub"] == str(rp["user"].pk) and claims["name"] == "赵六" and claims["real_name_level"] == 2
    digest = hashlib.sha256(lean["access_token"].encode()).digest()[:16]
    assert claims["at_hash"] == base64.urlsafe_b64encode(digest).decode().rstrip("=")
    rp["user"].refresh_from_db()
    expected_auth_time = rp["user"].last_login or timezone.now()
    assert abs(claims["auth_time"] - int(expected_auth_time.timestamp())) <= 2
    assert claims["exp"] - claims["iat"] == 36000 or claims["exp"] > claims["iat"]
    access = get_access_token_model().objects.get(token=lean["access_token"])
    assert str(access.id_token.jti) == claims["jti"]
    assert claims["exp"] == int(access.id_token.expires.timestamp())
    assert access.token_checksum == hashlib.sha256(lean["access_token"].encode()).hexdigest()
    assert access.user == rp["user"] and access.application == rp["app"] and access.scope == "openid profile"
    assert abs((access.expires - timezone.now()).total_seconds() - 600) < 5
    refresh = get_refresh_token_model().objects.get(token=lean["refresh_token"])
    assert refresh.access_token == access and refresh.token_family is not None and refresh.revoked is None
    assert access.id_token.scope == "openid profile" and access.id_token.user == rp["user"]


def test_client_secret_post_is_served_too(client, rp):
    response = post(client, {"grant_type": "authorization_code", "code": grant(rp), "redirect_uri": REDIRECT,
                             "client_id": "hlj-lean-app", "client_secret": SECRET})
    assert response.status_code == 200 and "id_token" in response.json()


def test_lean_tokens_work_for_userinfo_refresh_and_logout(client, rp):
    tokens = exchange(client, grant(rp)).json()
    info = client.get("/sso/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert info.status_code == 200 and info.json()["sub"] == str(rp["user"].pk)
    rotated = post(client, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}, basic())
    assert rotated.status_code == 200, rotated.content
    rotated = rotated.json()
    assert rotated["access_token"] != tokens["access_token"]
    old = client.get("/sso/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert old.status_code == 401                                    # rotation revoked the lean token
    replay = post(client, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}, basic())
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    # the platform's logout ends the SSO session: the lean tokens of that session die at once
    client.force_login(rp["user"])
    fresh = exchange(client, grant(rp)).json()
    assert client.post("/logout/").status_code == 302              # back-channel notice queued (outbox)
    assert post(client, {"grant_type": "refresh_token", "refresh_token": fresh["refresh_token"]},
                basic()).status_code == 400
    assert client.get("/sso/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {fresh['access_token']}").status_code == 401


# --- every refusal is the library's, with nothing written ----------------------------------------------

def test_replayed_code_is_refused_and_first_tokens_kept_as_the_library_does(client, rp, settings):
    """RFC 6749 §4.1.2 lets the server revoke the first exchange's tokens; the library does not, and
    neither does the lean path (both answers and the surviving tokens compared)."""
    outcomes = []
    for lean in (True, False):
        settings.IDENTITY_LEAN_CODE_EXCHANGE = lean
        code = grant(rp)
        first = exchange(client, code)
        assert first.status_code == 200
        before = counts()
        replay = exchange(client, code)
        still = client.get("/sso/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {first.json()['access_token']}")
        outcomes.append((answer(replay), counts() == before, still.status_code))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0]["status"] == 400 and outcomes[0][0]["error"] == "invalid_grant" and outcomes[0][1]


def test_wrong_redirect_uri(client, rp, settings):
    refused = refused_alike(settings, lambda: exchange(client, grant(rp), redirect_uri="https://rp.example/other"))
    assert (refused["status"], refused["error"]) == (400, "invalid_request")


def test_missing_redirect_uri_goes_to_the_library(client, rp, settings):
    (lean, lean_rows), (library, library_rows) = both(settings, lambda: post(
        client, {"grant_type": "authorization_code", "code": grant(rp)}, basic()))
    assert lean == library and lean_rows == library_rows


def test_code_of_another_client(client, rp, settings):
    refused = refused_alike(settings, lambda: exchange(client, grant(rp, app=rp["other"])))
    assert (refused["status"], refused["error"]) == (400, "invalid_grant")


def test_expired_code(client, rp, settings):
    refused = refused_alike(settings, lambda: exchange(client, grant(rp, minutes=-1)))
    assert (refused["status"], refused["error"]) == (400, "invalid_grant")


def test_unknown_code(client, rp, settings):
    refused = refused_alike(settings, lambda: exchange(client, "no-such-code"), rows=(0, 0, 0, 0))
    assert (refused["status"], refused["error"]) == (400, "invalid_grant")


@pytest.mark.parametrize("authorization", [basic(secret="wrong"), basic(client_id="hlj-nobody"),
                                           "Basic !!!not-base64", "Bearer abc"])
def test_bad_client_authentication(client, rp, settings, authorization):
    refused = refused_alike(settings, lambda: exchange(client, grant(rp), authorization=authorization))
    assert (refused["status"], refused["error"]) == (401, "invalid_client")
    assert refused["www"].startswith('Bearer error="invalid_client"')


def test_bad_secret_in_the_body(client, rp, settings):
    refused = refused_alike(settings, lambda: post(client, {
        "grant_type": "authorization_code", "code": grant(rp), "redirect_uri": REDIRECT,
        "client_id": "hlj-lean-app", "client_secret": "wrong"}))
    assert (refused["status"], refused["error"]) == (401, "invalid_client")
    assert refused["www"].startswith('Bearer error="invalid_client"')


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


def test_pkce_s256_and_plain_accepted(client, rp):
    verifier = secrets.token_urlsafe(48)
    assert exchange(client, grant(rp, challenge=_s256(verifier), method="S256"),
                    code_verifier=verifier).status_code == 200
    assert exchange(client, grant(rp, challenge=verifier, method="plain"), code_verifier=verifier).status_code == 200


def test_pkce_wrong_verifier(client, rp, settings):
    verifier = secrets.token_urlsafe(48)
    refused = refused_alike(settings, lambda: exchange(client, grant(rp, challenge=_s256(verifier), method="S256"),
                                                       code_verifier=verifier + "x"))
    assert (refused["status"], refused["error"]) == (400, "invalid_grant")


def test_pkce_missing_verifier(client, rp, settings):
    refused = refused_alike(settings, lambda: exchange(client, grant(rp, challenge=_s256("v" * 50), method="S256")))
    assert (refused["status"], refused["error"]) == (400, "invalid_request")


def test_pkce_required_without_challenge(client, rp, settings):
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "PKCE_REQUIRED": True}
    refused = refused_alike(settings, lambda: exchange(client, grant(rp)))
    assert (refused["status"], refused["error"]) == (400, "invalid_request")


def test_a_code_spent_concurrently_writes_nothing(client, rp, monkeypatch):
    """Another request spends the code just before our statement: the statement writes nothing and
    the library answers invalid_grant. The lean path runs in autocommit (decision 0212), so the other
    request's spend stands — as it would from another connection — and this request added no token rows."""
    original = code_exchange._spend

    def lose_the_race(request, *args):
        get_grant_model().objects.filter(code=request.POST["code"]).delete()
        return original(request, *args)

    monkeypatch.setattr(code_exchange, "_spend", lose_the_race)
    code = grant(rp)
    before = counts()
    response = exchange(client, code)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    assert counts() == (before[0] - 1, *before[1:])          # the other request's spend; no tokens of ours


def test_a_stale_copy_of_the_application_never_authenticates(client, rp):
    """Decision 0213: client authentication is checked on this process's copy of the application row,
    and the statement spends the code only if the committed row still holds what was checked. A
    secret reset without this process seeing it (another worker: no signal here) — the old secret
    passes the stale copy but spends nothing and the library refuses it; the copy is dropped, so the
    new secret is served (the library's success while the validator re-hashes it to the configured
    hasher, then the lean path's)."""
    from django.contrib.auth.hashers import make_password

    assert exchange(client, grant(rp)).status_code == 200          # the copy is made
    get_application_model().objects.filter(pk=rp["app"].pk).update(client_secret=make_password("new-" + SECRET))
    code = grant(rp)
    before = counts()
    refused = exchange(client, code)
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
    assert counts() == before                                  # nothing spent, nothing written
    assert exchange(client, code, authorization=basic(secret="new-" + SECRET)).status_code == 200
    exchange(client, grant(rp), authorization=basic(secret="new-" + SECRET))      # the copy of the re-hashed row
    code = grant(rp)
    with CaptureQueriesContext(connection) as queries:
        assert exchange(client, code, authorization=basic(secret="new-" + SECRET)).status_code == 200
    assert [original(q["sql"]).split()[0] for q in queries.captured_queries] == ["WITH"]


def test_a_scope_parameter_goes_to_the_library(client, rp):
    with CaptureQueriesContext(connection) as queries:
        response = exchange(client, grant(rp), scope="openid")
    assert response.status_code == 200 and "id_token" in response.json()
    assert not any(original(q["sql"]).startswith("WITH") for q in queries.captured_queries)


def test_pkce_a_non_ascii_verifier_goes_to_the_library(rf, settings):
    """oauthlib compares with hmac.compare_digest, which raises on non-ASCII text: the lean path does
    not decide such a request (the library does, as without the lean path)."""
    assert code_exchange._pkce(rf.post("/sso/o/token/", {"code_verifier": "ä" * 50})) is None
    allow, s256, plain = code_exchange._pkce(rf.post("/sso/o/token/", {"code_verifier": "v" * 50}))
    assert (allow, s256, plain) == (True, _s256("v" * 50), "v" * 50)
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "PKCE_REQUIRED": True}
    assert code_exchange._pkce(rf.post("/sso/o/token/", {})) == (False, None, None)


def test_other_grants_and_public_clients_go_to_the_library(client, rp):
    public = get_application_model().objects.create(
        name="pub", client_id="hlj-public-app", client_type="public", client_secret="",
        authorization_grant_type="authorization-code", redirect_uris=REDIRECT, skip_authorization=True,
        algorithm="RS256", hash_client_secret=False)
    verifier = secrets.token_urlsafe(48)
    code = grant(rp, app=public, challenge=_s256(verifier), method="S256")
    response = post(client, {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                             "client_id": "hlj-public-app", "code_verifier": verifier})
    assert response.status_code == 200 and "id_token" in response.json()
    plain_oauth = exchange(client, grant(rp, scope="profile"))          # no openid: the library, no ID token
    assert plain_oauth.status_code == 200 and "id_token" not in plain_oauth.json()
    assert code_exchange.provider_is_stock()


def test_the_switch_back_and_non_stock_settings_disable_the_lean_path(client, rp, settings):
    assert code_exchange.provider_is_stock()
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True}
    assert not code_exchange.provider_is_stock()
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": False,
                                "ACCESS_TOKEN_GENERATOR": "oauthlib.common.generate_token"}
    assert not code_exchange.provider_is_stock()
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "ACCESS_TOKEN_GENERATOR": None}
    settings.IDENTITY_LEAN_CODE_EXCHANGE = False
    assert not code_exchange.provider_is_stock()
    with CaptureQueriesContext(connection) as queries:
        response = exchange(client, grant(rp))
    assert response.status_code == 200
    assert not any(original(q["sql"]).startswith("WITH") for q in queries.captured_queries)   # the library's rows
    assert json.loads(response.content)["id_token"]


def test_id_token_signature_is_byte_for_byte_jwcrypto(rp):
    """sign_id_token builds the compact RS256 JWS itself; jwcrypto's JWT makes the same bytes."""
    from jwcrypto import jwt as jwcrypto_jwt

    from apps.identity.sso.validator import IdentityOAuth2Validator, _thumbprint

    claims = {"aud": "hlj-lean-app", "iat": 1, "nonce": NONCE, "sub": "1", "name": "赵六", "exp": 2}
    ours = IdentityOAuth2Validator.sign_id_token(dict(claims), rp["app"])
    header = {"typ": "JWT", "alg": "RS256", "kid": _thumbprint(rp["app"].jwk_key)}
    reference = jwcrypto_jwt.JWT(header=json.dumps(header), claims=json.dumps(claims))
    reference.make_signed_token(rp["app"].jwk_key)
    assert ours == reference.serialize()


def test_signing_key_follows_the_key_setting(client, rp, settings):
    """Decision 0213: the RS256 key and encoded header are prepared once per process, keyed by the
    PEM — a rotated OIDC_RSA_PRIVATE_KEY signs the next token with the new key, whose kid the JWKS
    publishes; the header is the library's (jwcrypto's) for that key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from apps.identity.sso.validator import _thumbprint

    first = exchange(client, grant(rp)).json()["id_token"]
    rotated = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_RSA_PRIVATE_KEY": rotated}
    second = exchange(client, grant(rp)).json()["id_token"]
    jwks = JsonWebKey.import_key_set(client.get("/sso/o/.well-known/jwks.json").json())
    claims = jwt.decode(second, jwks)                          # verifies with the published (rotated) key
    claims.validate()
    assert claims.header == {"typ": "JWT", "alg": "RS256", "kid": _thumbprint(rp["app"].jwk_key)}
    assert json.loads(base64.urlsafe_b64decode(first.split(".")[0] + "=="))["kid"] != claims.header["kid"]
    with pytest.raises(Exception):
        jwt.decode(first, jwks)                                # the old key's token does not verify any more


def test_an_overridden_model_check_sends_the_exchange_to_the_library(client, rp, monkeypatch):
    """Decision 0213: the lean path checks plain column values the way the library's model methods
    do; a swapped model that overrides one of them (here is_usable) makes every code exchange the
    library's."""
    assert code_exchange.provider_is_stock()
    monkeypatch.setattr(get_application_model(), "is_usable", lambda self, request: False)
    code_exchange.provider_is_stock.cache_clear()
    try:
        assert not code_exchange.provider_is_stock()
        with CaptureQueriesContext(connection) as queries:
            response = exchange(client, grant(rp))
        assert response.status_code == 401 and response.json()["error"] == "invalid_client"   # the library's check
        assert not any(original(q["sql"]).startswith("WITH") for q in queries.captured_queries)
    finally:
        monkeypatch.undo()
        code_exchange.provider_is_stock.cache_clear()
    assert code_exchange.provider_is_stock()
