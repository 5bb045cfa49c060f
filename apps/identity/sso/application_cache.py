"""OIDC applications by client_id, and client systems by code, in the shared cache (Redis) for
token issuance, decision 0209.

Every token request authenticates its client: django-oauth-toolkit reads the Application row by
client_id each time. The row changes rarely (an administrator resets a secret, disables the client,
edits redirect URIs), so the token endpoint takes it from the cache, tied to a generation that every
save or delete of any application — and the validator's re-hash of a secret — replaces once the
writer has committed:

    identity:oidc-app:<sha256(client_id)> → (generation, Application)     identity:oidc-app:gen
    identity:oidc-app:system:<sha256(code)> → (generation, ClientSystem with `application_pk`; its
                                               ticket secret replaced by a SHA-256 digest)

The same generation covers both: any save or delete of an application or a client system.

Entry and generation come in one MGET; on a miss the generation has been read before the database,
so an entry can never carry data older than its generation. Unlike the per-process client-system
memo (decision 0207) there is no staleness window in other workers: a reset secret or a disabled
client is refused by every worker from the commit on. Redis unavailable = a database read.
"""
from __future__ import annotations

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction

from apps.identity.sso import fastcache

PREFIX = "identity:oidc-app"
GENERATION_KEY = f"{PREFIX}:gen"
ENTRY_SECONDS = 300


def digest(text: str) -> str:
    return hashlib.sha256((text or "").encode("utf-8", "surrogatepass")).hexdigest()


def _key(client_id: str, kind: str = "") -> str:
    return f"{PREFIX}:{kind}{digest(client_id)}"


def lookup(client_id: str, kind: str = ""):
    """(the cached row or None, the current generation to store a database read under)."""
    key = _key(client_id, kind)
    found = fastcache.get_many([key, GENERATION_KEY])
    generation, entry = found.get(GENERATION_KEY), found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1], generation
    return None, generation


def store(client_id: str, generation, row, kind: str = "") -> None:
    cache.set(_key(client_id, kind), (generation, row), ENTRY_SECONDS)


SYSTEM = "system:"


def client_system_by_code(code: str, load):
    """The enabled client system `code` (with `application_pk`), its ticket secret as a SHA-256 digest
    (`ticket_secret_digest`, the secret itself blanked); `load()` reads it from the database."""
    cached, generation = lookup(code, SYSTEM)
    if cached is not None:
        return cached
    client = load()
    if client is not None:
        client.ticket_secret_digest = digest(client.ticket_secret) if client.ticket_secret else ""
        client.ticket_secret = ""
        store(code, generation, client, SYSTEM)
    return client


def _bump() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def applications_changed(**_kwargs) -> None:
    """Any application saved, deleted or its secret re-hashed: every entry is stale — at once (a
    rolled-back change costs one miss) and again after the commit (what counts for ordering)."""
    _bump()
    transaction.on_commit(_bump, robust=True)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save
    from oauth2_provider.models import get_application_model

    from apps.identity.models import ClientSystem

    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(applications_changed, sender=get_application_model(),
                       dispatch_uid=f"identity_oidc_application_cache_{name}")
        signal.connect(applications_changed, sender=ClientSystem,
                       dispatch_uid=f"identity_client_system_cache_{name}")
