"""OAuth2 validator of the OIDC provider: our claims in ID tokens and userinfo.

Enabled by OAUTH2_PROVIDER["OAUTH2_VALIDATOR_CLASS"] = "apps.identity.sso.validator.IdentityOAuth2Validator".

Token issuance (code → token) asks django-oauth-toolkit's validator about the same authorization code
five times (scopes, code, PKCE challenge and method, redirect URI, nonce), each a query. Here the grant
is read once per token request, with its user, and kept on the oauthlib request (decision 0207).
"""
from __future__ import annotations

import base64
import functools
import json

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.db import router, transaction
from jwcrypto import jwt
from oauth2_provider.models import (
    AbstractApplication,
    get_access_token_model,
    get_application_model,
    get_id_token_model,
)
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.utils import jwk_from_pem
from oauthlib.oauth2.rfc6749 import utils

from apps.identity.sso import application_cache
from apps.identity.sso.cache import client_system_for
from apps.identity.sso.claims import CLAIM_SCOPES, user_claims
from apps.identity.sso.rows import grant_with_user

_GRANT_ATTR = "_identity_grant"


def _grant(request, code: str):
    """The grant behind `code`, read once per oauthlib request (None if there is none)."""
    memo = getattr(request, _GRANT_ATTR, None)
    if memo is None or memo[0] != code:
        grant = grant_with_user(code or "")      # precompiled (decision 0209)
        memo = (code, grant)
        setattr(request, _GRANT_ATTR, memo)
    return memo[1]


def _grant_of(request, code: str, client):
    grant = _grant(request, code)
    if grant is None or client is None or grant.application_id != client.pk:
        return None
    return grant


_THUMBPRINTS: dict[int, tuple[object, str]] = {}


def _b64url(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode().rstrip("=")


def _thumbprint(key) -> str:
    """The key's RFC 7638 thumbprint, computed once per parsed key (the key object is cached)."""
    memo = _THUMBPRINTS.get(id(key))
    if memo is None or memo[0] is not key:
        memo = _THUMBPRINTS[id(key)] = (key, key.thumbprint())
    return memo[1]


_PKCS1V15, _SHA256 = padding.PKCS1v15(), hashes.SHA256()


@functools.lru_cache(maxsize=2)
def _rs256_signer(pem: str) -> tuple[object, str]:
    """The `cryptography` private key of OIDC_RSA_PRIVATE_KEY and the encoded protected header of its
    ID tokens ("typ", "alg", "kid" — the RFC 7638 thumbprint — as the library writes them, then "."),
    worked out once per process and key (decision 0213). Keyed by the PEM itself: a changed key
    setting (a rotation, a test's override) is a new entry, never the old key."""
    key = jwk_from_pem(pem)                    # the library's own parse (the key object `jwk_key` returns)
    header = {"typ": "JWT", "alg": AbstractApplication.RS256_ALGORITHM, "kid": _thumbprint(key)}
    return key.get_op_key("sign"), _b64url(json.dumps(header, default=str)) + "."


def signing_ready() -> bool:
    """An RS256 key is configured and parses (the key and header are then prepared)."""
    pem = oauth2_settings.OIDC_RSA_PRIVATE_KEY
    if not pem:
        return False
    try:
        _rs256_signer(pem)
    except Exception:                         # noqa: BLE001 — an unusable key: the library reports it
        return False
    return True


def rs256_id_token(id_token: dict) -> str | None:
    """The compact RS256 JWS of `id_token` signed with OIDC_RSA_PRIVATE_KEY, byte for byte jwcrypto's
    (PKCS#1 v1.5 is deterministic; test_sso_code_exchange); None when no key is configured (the
    library then raises its ImproperlyConfigured)."""
    pem = oauth2_settings.OIDC_RSA_PRIVATE_KEY
    if not pem:
        return None
    key, encoded_header = _rs256_signer(pem)
    signing_input = encoded_header + _b64url(json.dumps(id_token, default=str))
    signature = key.sign(signing_input.encode(), _PKCS1V15, _SHA256)
    return signing_input + "." + base64.urlsafe_b64encode(signature).decode().rstrip("=")


def _configured_secret_hasher():
    """The hasher OAUTH2_PROVIDER["CLIENT_SECRET_HASHER"] names, if it is in PASSWORD_HASHERS."""
    try:
        return get_hasher(oauth2_settings.CLIENT_SECRET_HASHER)
    except ValueError:
        return None


class IdentityOAuth2Validator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, **CLAIM_SCOPES, "preferred_username": "profile"}

    def _check_secret(self, provided_secret, stored_secret):
        """The library's check; a secret stored with another hasher than the configured one (an older,
        slower hash) is re-hashed with the configured one once it has been presented correctly."""
        valid = super()._check_secret(provided_secret, stored_secret)
        if valid:
            target = _configured_secret_hasher()
            try:
                current = identify_hasher(stored_secret).algorithm
            except ValueError:              # stored in clear (hashing switched off): leave it
                current = None
            if target is not None and current is not None and current != target.algorithm:
                # the salted hash is unique: it names the one application row
                get_application_model().objects.filter(client_secret=stored_secret).update(
                    client_secret=target.encode(provided_secret, target.salt()))
                application_cache.applications_changed()
        return valid

    def _load_application(self, client_id, request):
        """The library's lookup, with the Application row from the shared cache (decision 0209)."""
        if request.client is not None or not client_id or not isinstance(client_id, str):
            return super()._load_application(client_id, request)
        cached, generation = application_cache.lookup(client_id)
        if cached is not None:
            request.client = cached            # the library re-checks it (client_id, is_usable)
            return super()._load_application(client_id, request)
        loaded = super()._load_application(client_id, request)
        if loaded is not None and loaded.pk is not None:
            application_cache.store(client_id, generation, loaded)
        return loaded

    @classmethod
    def _get_additional_claims_is_request_agnostic(cls):
        # the library asks inspect.signature() twice per ID token and per user-info call; ours takes
        # the request (see below), so the answer is fixed
        return False

    def get_additional_claims(self, request):
        client = client_system_for(request.client.client_id) if request.client else None
        claims = user_claims(request.user, client)
        claims.pop("sub", None)
        return claims

    # --- one grant read per token request (same answers as the library's own queries) -------------

    def get_authorization_code_scopes(self, client_id, code, redirect_uri, request):
        grant = _grant(request, code)
        return utils.scope_to_list(grant.scope) if grant and grant.scope else []

    def get_authorization_code_nonce(self, client_id, code, redirect_uri, request):
        grant = _grant(request, code)
        return grant.nonce if grant and grant.nonce else None

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        grant = _grant_of(request, code, client)
        if grant is None or grant.is_expired():
            return False
        request.scopes = grant.scope.split(" ")
        request.user = grant.user
        if grant.nonce:
            request.nonce = grant.nonce
        if grant.claims:
            request.claims = json.loads(grant.claims)
        return True

    def confirm_redirect_uri(self, client_id, code, redirect_uri, client, *args, **kwargs):
        request = kwargs.get("request") or (args[0] if args else None)
        if request is None:
            return super().confirm_redirect_uri(client_id, code, redirect_uri, client, *args, **kwargs)
        grant = _grant_of(request, code, client)
        return bool(grant) and grant.redirect_uri_allowed(redirect_uri)

    def get_code_challenge(self, code, request):
        grant = _grant_of(request, code, request.client)
        return (grant.code_challenge or None) if grant else None

    def get_code_challenge_method(self, code, request):
        grant = _grant_of(request, code, request.client)
        return (grant.code_challenge_method or None) if grant else None

    # --- token rows: no re-reads of what this request has just written or read ---------------------

    def save_bearer_token(self, token, request, *args, **kwargs):
        # inside IdentityTokenView's transaction the library's own atomic block is only a savepoint
        # (two more round trips); a failure rolls the whole token request back anyway
        if transaction.get_connection(router.db_for_write(get_access_token_model())).in_atomic_block:
            return self._save_bearer_token(token, request, *args, **kwargs)
        return super().save_bearer_token(token, request, *args, **kwargs)

    def finalize_id_token(self, id_token, token, token_handler, request):
        """The library's signing and ID-token row, without its savepoint inside our token
        transaction (two round trips); the same claims, header and signature."""
        if not transaction.get_connection(router.db_for_write(get_id_token_model())).in_atomic_block:
            return super().finalize_id_token(id_token, token, token_handler, request)
        claims, expiration_time = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce
        serialized = self.sign_id_token(id_token, request.client)
        row = self._save_id_token(id_token["jti"], request, expiration_time)
        request.access_token = row
        request.id_token = row
        return serialized

    @staticmethod
    def sign_id_token(id_token: dict, client) -> str:
        """The library's JWT for `id_token`: same header (typ, alg, kid for RS256) and signature."""
        if (client.algorithm == AbstractApplication.RS256_ALGORITHM
                and type(client).jwk_key is AbstractApplication.jwk_key):
            # the compact JWS jwcrypto would make, without its objects, with the key and header
            # prepared once per process (decisions 0210 §4, 0213)
            signed = rs256_id_token(id_token)
            if signed is not None:
                return signed
        key = client.jwk_key                      # the library's key (and its error when none is set)
        header = {"typ": "JWT", "alg": client.algorithm}
        if client.algorithm == AbstractApplication.RS256_ALGORITHM:
            header["kid"] = _thumbprint(key)
        signed = jwt.JWT(header=json.dumps(header, default=str), claims=json.dumps(id_token, default=str))
        signed.make_signed_token(key)
        return signed.serialize()

    def _create_access_token(self, expires, request, token, source_refresh_token=None):
        issued = getattr(request, "id_token", None)
        if not token.get("id_token") or not isinstance(issued, get_id_token_model()):
            return super()._create_access_token(expires, request, token, source_refresh_token)
        # the library parses the signed JWT it has just made, checks its signature and reads the row
        # back by jti (two queries); this request's finalize_id_token left that row on the request
        access_token = get_access_token_model()(
            user=request.user, scope=token["scope"], expires=expires, id_token=issued, application=request.client,
            source_refresh_token=source_refresh_token, resource=getattr(request, "resource", []))
        self._set_token_value(access_token, token["access_token"])
        access_token.save()
        return access_token

    def _check_and_set_request_resource(self, request):
        """The library re-reads the grant only to inherit or narrow its resource list (RFC 8707); when
        this request's grant has none, that branch changes nothing, so only the request's own list is
        normalised and validated."""
        memo = getattr(request, _GRANT_ATTR, None)
        grant = memo[1] if memo and memo[0] == getattr(request, "code", None) else None
        if request.grant_type != "authorization_code" or grant is None or grant.resource:
            return super()._check_and_set_request_resource(request)
        request.grant_type = "authorization_code/grant-without-resource"
        try:
            return super()._check_and_set_request_resource(request)
        finally:
            request.grant_type = "authorization_code"
