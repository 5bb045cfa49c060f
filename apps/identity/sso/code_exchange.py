"""The confidential client's authorization-code exchange without oauthlib's request machinery
(decision 0210) — a fast path for SUCCESS only.

`exchange(request)` answers a token request only when it can prove that django-oauth-toolkit would
issue tokens for it, and then issues the same tokens: same rows, same claims, same response. In every
other case it returns None *before writing anything*, and `IdentityTokenView` hands the request to the
library unchanged — so every refusal (its error JSON, status code, WWW-Authenticate header, and any
side effect the library has) stays the library's, by construction. The checks below may only be
STRICTER than the library's, never looser:

* POST form body, no query string, no CORS `Origin` header, no duplicated client_id / grant_type /
  redirect_uri / code, no `resource` (RFC 8707) or `scope` parameter, no listener of `app_authorized`;
* the provider configured as shipped (no custom server, backend, token generators, extra server
  kwargs, callable expiries or PKCE policy, none of the RFC 9700 compliance switches, an issuer set,
  an RS256 key that parses) and the application and grant models' checks the library's own;
* client authentication (RFC 6749 §2.3.1): HTTP Basic as the library decodes it, or client_id +
  client_secret in the body; the application confidential, allowed the authorization-code grant,
  usable, signing RS256, and the secret checked by the validator's own `_check_secret`;
* the code (§4.1.3): a grant of THIS client, unexpired, its redirect_uri identical to the one sent
  (a missing redirect_uri goes to the library), no RFC 8707 resources, no `claims` request;
* PKCE (RFC 7636 §4.6): with a challenge on the grant the verifier must match (S256 or plain, as
  oauthlib computes and compares them; a non-ASCII verifier goes to the library); without one, PKCE
  must not be required;
* the grant's scopes hold `openid` (a plain OAuth code goes to the library).

Client authentication is checked on a per-process copy of the application's columns; everything else
— and that copy against the committed application row — is checked by ONE statement (decision 0213):
`WITH spent AS (DELETE grant USING application WHERE <every check above> RETURNING …) INSERT id
token / access token / refresh token … SELECT scope, nonce, user`. It spends the code and writes the
three rows only if every check holds; otherwise it writes nothing and the library answers (a reset
secret, a concurrent spend, a wrong redirect_uri: the library's refusal). The ID token is then made
from the spent grant's user and nonce: the validator's claims (sub, our claims, iss, exp, auth_time,
jti — exp and jti those of the row just written) plus aud, iat, nonce and at_hash, signed by the same
RS256 key with the same header. A failure while making it (say the database fails reading the user's
organisation) leaves the code spent and the unsent tokens written — to the client the same as a token
response lost after the library's commit: it starts a new authorization.
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
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from oauth2_provider.models import (
    AbstractApplication,
    AbstractGrant,
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)
from oauth2_provider.settings import DEFAULTS, oauth2_settings
from oauth2_provider.signals import app_authorized
from oauthlib.openid import Server as OidcServer

from apps.identity.models import User
from apps.identity.sso import prepared
from apps.identity.sso.inserts import Raw, Sql, column, row_plan, table
from apps.identity.sso.rows import user_columns, user_from_row
from apps.identity.sso.tokens import token_value
from apps.identity.sso.validator import rs256_id_token, signing_ready

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
    if not _models_are_stock():
        return False
    return not any(getattr(oauth2_settings, key) for key in DEFAULTS if key.startswith("COMPLIANT_BCP_RFC9700_"))


def _models_are_stock() -> bool:
    """The application and grant models answer the checks the exchange makes on plain column values
    (decision 0213) with the library's own methods: nothing overridden in a swapped model."""
    application, grant = get_application_model(), get_grant_model()
    return all(getattr(application, name) is getattr(AbstractApplication, name)
               for name in ("is_usable", "allows_grant_type", "jwk_key")) \
        and all(getattr(grant, name) is getattr(AbstractGrant, name) for name in ("is_expired", "redirect_uri_allowed"))


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


_APPLICATION_COLUMNS = ("id", "client_id", "client_type", "authorization_grant_type", "client_secret", "algorithm")
_applications: dict[str, SimpleNamespace] = {}


def _application(client_id: str) -> SimpleNamespace | None:
    """The exchange's columns of the application `client_id`, memoised per process (decision 0213).
    Never trusted alone: the writing statement spends the code only if the committed row still has
    every value checked here (`_statement`), so a reset secret or a changed client counts from its commit
    on, as with the read of decision 0211."""
    found = _applications.get(client_id)
    if found is None:
        row = get_application_model().objects.filter(client_id=client_id).values(*_APPLICATION_COLUMNS).first()
        if row is None:
            return None
        if len(_applications) >= 1000:
            _applications.clear()
        found = _applications[client_id] = SimpleNamespace(**row)
    return found


@receiver(post_save, sender=oauth2_settings.APPLICATION_MODEL, dispatch_uid="identity-lean-exchange-app-save")
@receiver(post_delete, sender=oauth2_settings.APPLICATION_MODEL, dispatch_uid="identity-lean-exchange-app-delete")
def _forget_applications(**_kwargs):
    """This process's copies are dropped on a change it makes (others' are caught by the statement)."""
    _applications.clear()


def _client(request, validator) -> SimpleNamespace | None:
    """The authenticated client (RFC 6749 §2.3.1) as the library would accept it, or None."""
    found = _credentials(request)
    if found is None:
        return None
    client_id, secret = found
    client = _application(client_id)
    if (client is None
            or client.client_type != AbstractApplication.CLIENT_CONFIDENTIAL
            or client.authorization_grant_type != AbstractApplication.GRANT_AUTHORIZATION_CODE  # allows_grant_type
            or client.algorithm != AbstractApplication.RS256_ALGORITHM        # (is_usable: always True)
            or not validator._check_secret(secret, client.client_secret)):
        _applications.pop(client_id, None)           # perhaps stale: the next request reads the row again
        return None
    return client


def _pkce(request) -> tuple[bool, str | None, str | None] | None:
    """The PKCE part of the spend (RFC 7636 §4.6): (a grant without challenge is accepted, the S256
    challenge of the verifier, the verifier as a plain challenge); None: the library answers. oauthlib
    compares with hmac.compare_digest, which refuses non-ASCII text: such a verifier goes to the library."""
    verifier = request.POST.get("code_verifier")
    if verifier is not None and not verifier.isascii():
        return None
    s256 = None
    if verifier is not None:
        s256 = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return oauth2_settings.PKCE_REQUIRED is not True, s256, verifier


def _applies(request) -> bool:
    post = request.POST
    return (request.method == "POST" and not request.META.get("QUERY_STRING") and post.get("grant_type") ==
            "authorization_code" and post.get("code") and post.get("redirect_uri")
            and "HTTP_ORIGIN" not in request.META and "resource" not in post and "scope" not in post
            and all(len(post.getlist(name)) <= 1 for name in _SINGLE_PARAMS)
            and not app_authorized.has_listeners() and provider_is_stock())


def exchange(request) -> HttpResponse | None:
    """The token response for a confidential client's code exchange, or None: the library answers.
    Called outside any transaction (IdentityTokenView): ONE statement checks and spends the code and
    writes the three token rows as its own transaction (commit.relaxed, decisions 0212, 0213); the ID
    token is made from the user that statement returns."""
    if not _applies(request):
        return None
    validator = oauth2_settings.OAUTH2_VALIDATOR_CLASS()
    client = _client(request, validator)
    pkce = _pkce(request)
    if client is None or pkce is None or not signing_ready():
        return None
    token = {"access_token": token_value(), "expires_in": oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS,
             "token_type": "Bearer", "scope": None, "refresh_token": token_value()}
    now = timezone.now()
    jti = uuid.uuid4()
    values = {"application_id": client.id, "created": now, "updated": now, "jti": jti,
              "id_expires": now + timedelta(seconds=oauth2_settings.ID_TOKEN_EXPIRE_SECONDS),
              "expires": now + timedelta(seconds=token["expires_in"]), "access": token["access_token"],
              "access_checksum": _checksum(token["access_token"]), "refresh": token["refresh_token"],
              "refresh_checksum": _checksum(token["refresh_token"]), "token_family": uuid.uuid4()}
    spent = _spend(request, client, pkce, now, values)
    if spent is None:
        # nothing written: the code is not (or no longer) this client's to spend as checked — or the
        # memoised application row is stale — and the library answers
        _applications.pop(client.client_id, None)
        return None
    scope, nonce, user = spent
    scopes = scope.split(" ") if scope else []
    token["scope"] = " ".join(scopes)
    subject = SimpleNamespace(user=user, client=client, scopes=scopes, nonce=nonce or None,
                              client_id=client.client_id, claims=None)
    claims, _expires = validator.get_id_token_dictionary(token, None, subject)
    # the row's jti and expiry, written before the claims could be (they need the spent grant's user):
    # the library's values are a fresh uuid4 and int(expiry.timestamp()) — the same, drawn earlier
    claims["jti"], claims["exp"] = str(jti), int(values["id_expires"].timestamp())
    id_token = {"aud": client.client_id, "iat": int(time.time())}
    if nonce:
        id_token["nonce"] = nonce
    id_token["at_hash"] = _token_hash(token["access_token"])
    id_token.update(**claims)
    token["id_token"] = rs256_id_token(id_token)          # the validator's sign_id_token for RS256 (decision 0213)
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
# every code exchange goes to the library until this list is updated (a test fails first). The user
# and the scope come from the spent grant (decision 0213).
_NULL, _NO_RESOURCE = Sql("NULL"), Sql("'[]'")
_USER, _SCOPE = Raw("spent.user_id"), Raw("spent.scope")
_ID_TOKEN_ROW = {"user_id": _USER, "jti": "jti", "application_id": "application_id",
                 "expires": "id_expires", "scope": _SCOPE, "created": "created", "updated": "updated"}
_ACCESS_ROW = {"user_id": _USER, "source_refresh_token_id": _NULL, "token": "access",
               "token_checksum": "access_checksum", "id_token_id": Raw("idt.id"), "application_id": "application_id",
               "expires": "expires", "scope": _SCOPE, "resource": _NO_RESOURCE, "created": "created",
               "updated": "updated"}
_REFRESH_ROW = {"user_id": _USER, "token": "refresh", "token_checksum": "refresh_checksum",
                "application_id": "application_id", "access_token_id": Raw("act.id"), "token_family": "token_family",
                "resource": _NO_RESOURCE, "created": "created", "updated": "updated", "revoked": _NULL}


def _spend(request, client, pkce, now, values):
    """(scope, nonce, user) of the grant this statement spent, or None when it spent nothing (and
    wrote nothing)."""
    statement = _statement()
    if statement is None:
        return None
    sql, keys = statement
    allow_no_challenge, s256, plain = pkce
    post = request.POST
    params = [post["code"], client.id, client.client_id, client.client_type, client.authorization_grant_type,
              client.algorithm, client.client_secret, now, post["redirect_uri"], allow_no_challenge, s256, plain,
              *(values[key] for key in keys)]
    row = prepared.fetch_one(sql, params)          # prepared on the session, relaxed commit (decision 0213)
    if row is None:
        return None
    return row[0], row[1], user_from_row(row[2:])


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
    """The checked grant DELETE and the three INSERTs chained — each INSERT selects from the steps
    before, so nothing is written unless the grant was deleted — returning the spent grant's scope,
    nonce and user; and the value keys of its parameters after the twelve of `_spend`. The DELETE
    holds every check of the code (RFC 6749 §4.1.3, RFC 7636 §4.6, the module doc) and of the client
    row that `_client` made on its memoised copy. Built once per process."""
    Grant, Application = get_grant_model(), get_application_model()
    parts = [_row_sql(get_id_token_model(), _ID_TOKEN_ROW, "spent"),
             _row_sql(get_access_token_model(), _ACCESS_ROW, "idt, spent"),
             _row_sql(get_refresh_token_model(), _REFRESH_ROW, "act, spent")]
    if None in parts:
        return None
    (id_sql, id_keys), (access_sql, access_keys), (refresh_sql, refresh_keys) = parts

    def g(name):
        return f"g.{column(Grant, name)}"

    def a(name):
        return f"a.{column(Application, name)}"

    challenge, method = f"COALESCE({g('code_challenge')}, '')", g("code_challenge_method")
    user_table, user_pk = table(User), connection.ops.quote_name(User._meta.pk.column)
    sql = (f"WITH spent AS (DELETE FROM {table(Grant)} g USING {table(Application)} a "
           f"WHERE {g('code')} = %s AND {g('application')} = %s AND {a('id')} = {g('application')} "
           f"AND {a('client_id')} = %s AND {a('client_type')} = %s AND {a('authorization_grant_type')} = %s "
           f"AND {a('algorithm')} = %s AND {a('client_secret')} = %s "
           f"AND {g('expires')} > %s AND {g('user')} IS NOT NULL AND {g('redirect_uri')} = %s "
           f"AND ({g('resource')} IS NULL OR {g('resource')} = '[]'::jsonb) AND COALESCE({g('claims')}, '') = '' "
           f"AND 'openid' = ANY(string_to_array({g('scope')}, ' ')) "
           f"AND (({challenge} = '' AND %s) OR ({method} = 'S256' AND {challenge} = %s) "
           f"OR ({method} = 'plain' AND {challenge} = %s)) "
           f"RETURNING {g('id')} AS id, {g('user')} AS user_id, {g('scope')} AS scope, {g('nonce')} AS nonce), "
           f"idt AS ({id_sql}), act AS ({access_sql}), rft AS ({refresh_sql}) "
           f"SELECT spent.scope, spent.nonce, {user_columns('u')} FROM spent "
           f"JOIN {user_table} u ON u.{user_pk} = spent.user_id, idt, act, rft")
    return sql, (*id_keys, *access_keys, *refresh_keys)
