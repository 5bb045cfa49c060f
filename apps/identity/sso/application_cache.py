"""OIDC applications by client_id in the shared cache (Redis) for token issuance, decision 0209.

Every token request authenticates its client: django-oauth-toolkit reads the Application row by
client_id each time. The row changes rarely (an administrator resets a secret, disables the client,
edits redirect URIs), so the token endpoint takes it from the cache, tied to a generation that every
save or delete of any application — and the validator's re-hash of a secret — replaces once the
writer has committed:

    identity:oidc-app:<sha256(client_id)> → (generation, Application)     identity:oidc-app:gen

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

PREFIX = "identity:oidc-app"
GENERATION_KEY = f"{PREFIX}:gen"
ENTRY_SECONDS = 300


def _key(client_id: str) -> str:
    return f"{PREFIX}:{hashlib.sha256(client_id.encode('utf-8', 'surrogatepass')).hexdigest()}"


def lookup(client_id: str):
    """(the cached Application or None, the current generation to store a database read under)."""
    key = _key(client_id)
    found = cache.get_many([key, GENERATION_KEY])
    generation, entry = found.get(GENERATION_KEY), found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1], generation
    return None, generation


def store(client_id: str, generation, application) -> None:
    cache.set(_key(client_id), (generation, application), ENTRY_SECONDS)


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

    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(applications_changed, sender=get_application_model(),
                       dispatch_uid=f"identity_oidc_application_cache_{name}")
