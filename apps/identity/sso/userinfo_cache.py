"""User-info answers cached per access token in the shared cache (Redis), decision 0209.

A department system calls user info with the same Bearer token many times in the token's life. The
answer depends only on the token (scopes, application, expiry — fixed once issued), the user's
account (profile, real-name level, active flag), the user's organisation (its name), agent
authorisations of and by the user (the `agent_of` claim), and the client systems' settings (allowed
claims). The finished JSON body is kept under the token's checksum together with the *generations*
of those inputs it was built from:

    identity:ui:<endpoint>:<sha256(token)>  →  (ids, generations, valid until, JSON body)
    identity:ui:gen:user:<pk> · identity:ui:gen:org:<pk> · identity:ui:gen:clients · identity:ui:gen:token:<sha256>

A hit costs one cache round trip (the entry and its four generations in one MGET, the ids of the
token's entry remembered per process; two round trips the first time a process sees the token) and
**no database query**. It is served only while the recorded expiry (the token's, capped by the earliest
end of an agent authorisation behind `agent_of`) lies ahead and every generation is unchanged:

* a change of the user (any save, the real-name services' direct updates, logout), of the
  organisation, of an agent authorisation naming the user, or of any client system / OIDC
  application sets a new generation at once and again after the writer's transaction commits;
* a token deleted (revocation, refresh rotation, logout in every client, the user deleted) or
  changed gets a new token generation after commit — the next call goes to the database, which
  refuses it.

Ordering that makes a stale entry impossible: generations are read *before* the database is, and
bumped *after* the writer commits. The ids an entry depends on are only known from the database,
so the first call of a token stores them without a body; the next call reads that entry's
generations first, then the database, and stores the body (the third call is the first hit). While
Redis is unavailable every call is a miss (apps.core.cache.ResilientRedisCache); a bump lost in an
outage is bounded by the entry's expiry (the token's remaining life, at most ENTRY_SECONDS).
"""
from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from apps.identity.sso import fastcache

PREFIX = "identity:ui"
ENDPOINTS = ("oidc", "ticket")
ENTRY_SECONDS = 3600                              # an entry never outlives this, whatever the token says
GENERATION_SECONDS = 2 * ENTRY_SECONDS + 60       # a bump outlives every entry built before it
CLIENTS_KEY = f"{PREFIX}:gen:clients"


def checksum(bearer: str) -> str:
    """The token's SHA-256 hex digest (what django-oauth-toolkit stores as token_checksum)."""
    return hashlib.sha256((bearer or "").encode("utf-8")).hexdigest()


def _entry_key(endpoint: str, digest: str) -> str:
    return f"{PREFIX}:{endpoint}:{digest}"


def _token_key(digest: str) -> str:
    return f"{PREFIX}:gen:token:{digest}"


def _generation_keys(digest: str, ids: tuple) -> list[str]:
    user_id, organisation_id = ids
    return [f"{PREFIX}:gen:user:{user_id}", f"{PREFIX}:gen:org:{organisation_id or 0}", CLIENTS_KEY,
            _token_key(digest)]


@dataclass
class Lookup:
    """The outcome of a lookup: the body on a hit; otherwise what a rebuild may store (`ids` and the
    generations read before the database, when an earlier call left the ids)."""

    endpoint: str
    digest: str
    body: bytes | None = None
    ids: tuple | None = None
    generations: tuple | None = None


# digest → ids of its last entry, per process: a hit then needs one MGET (entry + generations), not two.
_ids_memo: dict[str, tuple] = {}
IDS_MEMO_SIZE = 50_000


def lookup(endpoint: str, digest: str) -> Lookup:
    """The cached answer of this token at this endpoint (`.body`), or what a rebuild needs."""
    found = Lookup(endpoint, digest)
    entry_key = _entry_key(endpoint, digest)
    ids = _ids_memo.get(digest)
    if ids is not None:                          # one round trip: the entry with the generations
        keys = _generation_keys(digest, ids)
        values = fastcache.get_many([entry_key, *keys])
        entry = values.get(entry_key)
        if entry and entry[0] == ids:
            return _judge(found, entry, tuple(values.get(key) for key in keys))
    else:
        entry = fastcache.get_many([entry_key]).get(entry_key)
    if not entry:
        return found
    keys = _generation_keys(digest, entry[0])
    values = fastcache.get_many(keys)
    _remember_ids(digest, entry[0])
    return _judge(found, entry, tuple(values.get(key) for key in keys))


def _judge(found: Lookup, entry: tuple, current: tuple) -> Lookup:
    ids, generations, valid_until, body = entry
    found.ids, found.generations = ids, current
    if body is not None and generations == current and valid_until > time.time():
        found.body = body
    return found


def _remember_ids(digest: str, ids: tuple) -> None:
    if len(_ids_memo) >= IDS_MEMO_SIZE:
        _ids_memo.clear()
    _ids_memo[digest] = ids


def store(found: Lookup, *, user_id, organisation_id, valid_until: float, body: bytes) -> None:
    """Keep `body` (built from a database read made after `lookup`) until `valid_until` (epoch
    seconds). Without generations read before that database read, only the ids are kept."""
    seconds = int(min(valid_until - time.time(), ENTRY_SECONDS))
    if seconds < 1:
        return
    ids = (user_id, organisation_id)
    if found.ids == ids and found.generations is not None:
        entry = (ids, found.generations, valid_until, body)
    else:
        entry = (ids, None, valid_until, None)
    cache.set(_entry_key(found.endpoint, found.digest), entry, seconds)
    _remember_ids(found.digest, ids)


# --- invalidation: new generations once the writer's transaction has committed --------------------

def _bump(keys: list[str]) -> None:
    value = uuid.uuid4().hex
    cache.set_many({key: value for key in keys}, GENERATION_SECONDS)


def _after_commit(keys: list[str]) -> None:
    """Bump now (a change rolled back costs one miss) and again after the commit (what the ordering
    argument above relies on)."""
    if keys:
        _bump(keys)
        transaction.on_commit(lambda: _bump(keys), robust=True)


def user_changed(*user_ids) -> None:
    """Every cached answer about these users is stale from the commit on."""
    _after_commit([f"{PREFIX}:gen:user:{pk}" for pk in user_ids if pk])


def organisation_changed(organisation_id) -> None:
    _after_commit([f"{PREFIX}:gen:org:{organisation_id}"] if organisation_id else [])


def clients_changed() -> None:
    _after_commit([CLIENTS_KEY])


def token_changed(digest: str) -> None:
    """The access token with this checksum was revoked, deleted or changed."""
    _after_commit([_token_key(digest)] if digest else [])


def claims_valid_until(*, token, claims: dict) -> float:
    """Until when an answer built now stays true without any write: the token's expiry, or earlier
    the end of the first agent authorisation listed in `agent_of` (it lapses by time alone)."""
    until = token.expires.timestamp()
    if claims.get("agent_of"):
        from django.db.models import Min

        from apps.identity.models import AgentAuthorisation

        first = (AgentAuthorisation.objects.active_now().filter(agent_id=token.user_id)
                 .aggregate(first=Min("valid_until"))["first"])
        if first is not None:
            until = min(until, first.timestamp())
    return until
