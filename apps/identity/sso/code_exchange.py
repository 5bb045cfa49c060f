"""The confidential client's authorization-code exchange without oauthlib's request machinery
(decision 0210) — a fast path for SUCCESS only.

`exchange(request)` answers a token request only when it can prove that django-oauth-toolkit would
issue tokens for it, and then issues the same tokens: same rows, same claims, same response. In every
other case it returns None *before writing anything*, and `IdentityTokenView` hands the request to the
library unchanged — so every refusal (its error JSON, status code, WWW-Authenticate header, and any
side effect the library has) stays the library's, by construction. The checks below may only be
STRICTER than the library's, never looser:

* POST form body, no query string, no CORS `Origin` header, no duplicated client_id / grant_type /
  redirect_uri / code, no `resource` parameter (RFC 8707), no listener of `app_authorized`;
* the provider configured as shipped (no custom server, backend, token generators, extra server
  kwargs, callable expiries or PKCE policy, none of the RFC 9700 compliance switches, an issuer set);
* client authentication (RFC 6749 §2.3.1): HTTP Basic as the library decodes it, or client_id +
  client_secret in the body; the application confidential, allowed the authorization-code grant,
  usable, signing RS256, and the secret checked by the validator's own `_check_secret`;
* the code (§4.1.3): a grant of THIS client, unexpired, its redirect_uri identical to the one sent
  (a missing redirect_uri goes to the library), no RFC 8707 resources, no `claims` request;
* PKCE (RFC 7636 §4.6): with a challenge on the grant the verifier must match (S256 or plain, the
  library's own functions); without one, PKCE must not be required;
* the grant's scopes hold `openid` (a plain OAuth code goes to the library).

Then one statement (`WITH spent AS (DELETE grant … RETURNING) INSERT id token / access token /
refresh token`) consumes the code and writes the three rows; if a concurrent request spent the code
first nothing is written and the library answers `invalid_grant`. The ID token carries the
validator's claims (sub, our claims, iss, exp, auth_time, jti) plus aud, iat, nonce and at_hash, and
is signed by the same RS256 key with the same header.
"""
from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import time
import uuid
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from oauth2_provider.models import (
    AbstractApplication,
    get_access_token_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)
from oauth2_provider.settings import DEFAULTS, oauth2_settings
from oauth2_provider.signals import app_authorized
from oauthlib.oauth2.rfc6749.grant_types.authorization_code import (
    code_challenge_method_plain,
    code_challenge_method_s256,
)
from oauthlib.openid import Server as OidcServer

from apps.identity.sso.commit import relaxed
from apps.identity.sso.inserts import Raw, Sql, column, row_plan, table
from apps.identity.sso.rows import grant_with_user
from apps.identity.sso.tokens import token_value

_PKCE = {"plain": code_challenge_method_plain, "S256": code_challenge_method_s256}
_SINGLE_PARAMS = ("client_id", "grant_type", "redirect_uri", "code", "client_secret", "code_verifier")
_DEFAULT_KEYS = ("EXTRA_SERVER_KWARGS", "OAUTH2_BACKEND_CLASS")
# The library's default token values or ours (decision 0211); the lean path issues ours either way.
_GENERATOR_KEYS = ("ACCESS_TOKEN_GENERATOR", "REFRESH_TOKEN_GENERATOR")


def _named(value):
    """A setting's value comparable with its default (the library imports dotted paths to classes)."""
    if isinstance(value, str) and "." in value:
        return import_string(value)
    return value


@functools.lru_cache(maxsize=1)
def provider_is_stock() -> bool:
    """The library is configured so that this module's answers are its answers. Worked out once per
    process and again after any setting changes (tests override settings: `setting_changed` below)."""
    if not getattr(settings, "IDENTITY_LEAN_CODE_EXCHANGE", True):      # the switch back (decision 0210)
        return False
    if not oauth2_settings.OIDC_ENABLED or not oauth2_settings.OIDC_ISS_ENDPOINT:
        return False
    if any(_named(getattr(oauth2_settings, key)) != _named(DEFAULTS[key]) for key in _DEFAULT_KEYS):
        return False
    if any(_named(getattr(oauth2_settings, key)) not in (None, token_value) for key in _GENERATOR_KEYS):
        return False
    if oauth2_settings.OAUTH2_SERVER_CLASS is not OidcServer:
        return False
    if oauth2_settings.PKCE_REQUIRED not in (True, False):
        return False
    if not isinstance(oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS, int) \
            or not isinstance(oauth2_settings.ID_TOKEN_EXPIRE_SECONDS, int):
        return False
    return not any(getattr(oauth2_settings, key) for key in DEFAULTS if key.startswith("COMPLIANT_BCP_RFC9700_"))


@receiver(setting_changed)
def _forget_provider_check(**_kwargs):
    provider_is_stock.cache_clear()


def _credentials(request) -> tuple[str, str] | None:
    """(client_id, secret) as the library reads them: HTTP Basic first, else the body."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header:
        kind, _, encoded = header.partition(" ")
        if kind != "Basic" or not encoded:
            return None
        try:
            decoded = base64.b64decode(encoded).decode(request.encoding or settings.DEFAULT_CHARSET or "utf-8")
        except (TypeError, ValueError, binascii.Error, UnicodeDecodeError):
            return None
        if ":" not in decoded:
            return None
        client_id, secret = map(unquote_plus, decoded.split(":", 1))
        body_client = request.POST.get("client_id")
        if body_client is not None and body_client != client_id:
            return None
        return client_id, secret
    client_id, secret = request.POST.get("client_id", ""), request.POST.get("client_secret", "")
    return (client_id, secret) if client_id and secret else None


def _client_and_grant(request, validator):
    """(application, grant, scopes) when the client authenticates and the code is usable, else None.
    The application comes with the grant in one statement (decision 0211): the committed row, so a
    reset secret, a changed grant type or a deleted application counts from its commit on."""
    found = _credentials(request)
    if found is None:
        return None
    client_id, secret = found
    grant = grant_with_user(request.POST.get("code", ""), with_application=True)
    if grant is None:
        return None
    client = grant.application
    if (client.client_id != client_id
            or client.client_type != AbstractApplication.CLIENT_CONFIDENTIAL
            or not client.allows_grant_type(AbstractApplication.GRANT_AUTHORIZATION_CODE)
            or client.algorithm != AbstractApplication.RS256_ALGORITHM
            or not client.is_usable(request)
            or not validator._check_secret(secret, client.client_secret)):
        return None
    if (grant.is_expired() or grant.user_id is None
            or not grant.redirect_uri_allowed(request.POST.get("redirect_uri", ""))
            or grant.resource or grant.claims):
        return None
    scopes = grant.scope.split(" ") if grant.scope else []
    if "openid" not in scopes:
        return None
    verifier = request.POST.get("code_verifier")
    if grant.code_challenge:
        check = _PKCE.get(grant.code_challenge_method)
        if check is None or verifier is None or not check(verifier, grant.code_challenge):
            return None
    elif oauth2_settings.PKCE_REQUIRED is True:
        return None
    return client, grant, scopes


def _applies(request) -> bool:
    post = request.POST
    return (request.method == "POST" and not request.META.get("QUERY_STRING") and post.get("grant_type") ==
            "authorization_code" and post.get("code") and post.get("redirect_uri")
            and "HTTP_ORIGIN" not in request.META and "resource" not in post
            and all(len(post.getlist(name)) <= 1 for name in _SINGLE_PARAMS)
            and not app_authorized.has_listeners() and provider_is_stock())


def exchange(request) -> HttpResponse | None:
    """The token response for a confidential client's code exchange, or None: the library answers.
    Called outside any transaction (IdentityTokenView): the grant is read in autocommit and the one
    writing statement is its own transaction (commit.relaxed, decision 0212)."""
    if not _applies(request):
        return None
    validator = oauth2_settings.OAUTH2_VALIDATOR_CLASS()
    found = _client_and_grant(request, validator)
    if found is None:
        return None
    client, grant, scopes = found
    user = grant.user
    token = {"access_token": token_value(), "expires_in": oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS,
             "token_type": "Bearer", "scope": " ".join(scopes), "refresh_token": token_value()}
    subject = SimpleNamespace(user=user, client=client, scopes=scopes, nonce=grant.nonce or None,
                              client_id=client.client_id, claims=None)
    claims, id_expires = validator.get_id_token_dictionary(token, None, subject)
    id_token = {"aud": client.client_id, "iat": int(time.time())}
    if grant.nonce:
        id_token["nonce"] = grant.nonce
    id_token["at_hash"] = _token_hash(token["access_token"])
    id_token.update(**claims)
    token["id_token"] = validator.sign_id_token(id_token, client)
    now = timezone.now()
    values = {"user_id": user.pk, "application_id": client.pk, "created": now, "updated": now,
              "jti": uuid.UUID(claims["jti"]), "id_expires": id_expires,
              "id_scope": request.POST.get("scope") or " ".join(scopes), "scope": token["scope"],
              "expires": now + timedelta(seconds=token["expires_in"]), "access": token["access_token"],
              "access_checksum": _checksum(token["access_token"]), "refresh": token["refresh_token"],
              "refresh_checksum": _checksum(token["refresh_token"]), "token_family": uuid.uuid4()}
    if not _write(grant, now, values):
        return None                        # the code was spent meanwhile (or the models changed): the library answers
    return HttpResponse(json.dumps(token), status=200, content_type="application/json", headers=_NO_STORE)


_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _token_hash(value: str) -> str:
    """at_hash (OIDC Core §3.1.3.6): left half of SHA-256, base64url without padding."""
    digest = hashlib.sha256(value.encode()).digest()
    return base64.urlsafe_b64encode(digest[:len(digest) // 2]).decode().rstrip("=")


def _checksum(value: str) -> str:
    """The token_checksum column (the library's TokenChecksumField: SHA-256 hex of the raw token)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


# Each new row's columns (decision 0211): a value key of `exchange` (filled from `values`), or SQL.
# Exactly the columns `save()` writes (all but the auto primary key), with the values the library's
# validator gives them; if a library upgrade adds or renames a column, `_statement()` is None and
# every code exchange goes to the library until this list is updated (a test fails first).
_NULL, _NO_RESOURCE = Sql("NULL"), Sql("'[]'")
_ID_TOKEN_ROW = {"user_id": "user_id", "jti": "jti", "application_id": "application_id",
                 "expires": "id_expires", "scope": "id_scope", "created": "created", "updated": "updated"}
_ACCESS_ROW = {"user_id": "user_id", "source_refresh_token_id": _NULL, "token": "access",
               "token_checksum": "access_checksum", "id_token_id": Raw("idt.id"), "application_id": "application_id",
               "expires": "expires", "scope": "scope", "resource": _NO_RESOURCE, "created": "created",
               "updated": "updated"}
_REFRESH_ROW = {"user_id": "user_id", "token": "refresh", "token_checksum": "refresh_checksum",
                "application_id": "application_id", "access_token_id": Raw("act.id"), "token_family": "token_family",
                "resource": _NO_RESOURCE, "created": "created", "updated": "updated", "revoked": _NULL}


def _write(grant, now, values) -> bool:
    statement = _statement()
    if statement is None:
        return False
    sql, keys = statement
    with connection.cursor() as cursor:
        cursor.execute(relaxed(sql), [grant.pk, grant.application_id, now, *(values[key] for key in keys)])
        return cursor.fetchone() is not None


def _row_sql(model, row: dict, source: str) -> tuple[str, list[str]] | None:
    """`INSERT … SELECT … FROM source RETURNING id` of `row` and its parameter keys, or None."""
    plan = row_plan(model, row)
    if plan is None:
        return None
    columns, marks, keys = plan
    return (f"INSERT INTO {table(model)} ({', '.join(columns)}) SELECT {', '.join(marks)} FROM {source} "
            f"RETURNING id"), keys


@functools.lru_cache(maxsize=1)
def _statement() -> tuple[str, tuple[str, ...]] | None:
    """The grant DELETE and the three INSERTs chained — each INSERT selects from the step before, so
    nothing is written unless the grant was there to delete — and the value keys of its parameters
    after (grant id, application id, now). Built once per process."""
    Grant = get_grant_model()
    parts = [_row_sql(get_id_token_model(), _ID_TOKEN_ROW, "spent"),
             _row_sql(get_access_token_model(), _ACCESS_ROW, "idt"),
             _row_sql(get_refresh_token_model(), _REFRESH_ROW, "act")]
    if None in parts:
        return None
    (id_sql, id_keys), (access_sql, access_keys), (refresh_sql, refresh_keys) = parts
    grant_pk = column(Grant, "id")
    sql = (f"WITH spent AS (DELETE FROM {table(Grant)} WHERE {grant_pk} = %s "
           f"AND {column(Grant, 'application')} = %s AND {column(Grant, 'expires')} > %s RETURNING {grant_pk} AS id), "
           f"idt AS ({id_sql}), act AS ({access_sql}), rft AS ({refresh_sql}) "
           f"SELECT idt.id, act.id, rft.id FROM idt, act, rft")
    return sql, (*id_keys, *access_keys, *refresh_keys)
