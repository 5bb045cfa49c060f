"""Who is calling, remembered across requests (decision 0009).

Every API call (token) and portal page (session) loads its user with organisation and region — data
scope needs both. That row is kept in the shared cache per token key or user id, stamped with a
principal generation; the generation and the entry come in one round trip. Every change or delete of
a Token, User, Organisation or Region (not a new row, not a last-login stamp) bumps the generation,
right away and again after commit (like decision 0008), so a deactivated user, a deleted token, a changed password or a moved organisation is
seen on the next request. Code that changes users with a queryset update calls `principals_changed()`.
"""
from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache

from apps.core.cache import generation_changed

GENERATION_KEY = "identity:principal:generation"
PRINCIPAL_SECONDS = 300


def remembered(key: str, load: Callable[[], object]):
    """The object cached under `key` for the current generation, else `load()` (then cached). A load
    that raises caches nothing."""
    found = cache.get_many([GENERATION_KEY, key])
    generation, entry = found.get(GENERATION_KEY, 0), found.get(key)
    if isinstance(entry, dict) and entry.get("generation") == generation:
        return entry["principal"]
    principal = load()
    cache.set(key, {"generation": generation, "principal": principal}, PRINCIPAL_SECONDS)
    return principal


def principals_changed(**_signal_kwargs) -> None:
    """Forget every remembered principal (connected to token/user/organisation/region signals)."""
    generation_changed(GENERATION_KEY)


# A save touching only these columns changes nothing a request decides on (every login writes last_login).
_IRRELEVANT_FIELDS = frozenset({"last_login"})


def _saved(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """A new row is in nobody's cached principal; a last-login stamp changes no decision."""
    if created or (update_fields and set(update_fields) <= _IRRELEVANT_FIELDS):
        return
    principals_changed()


def connect_invalidation() -> None:
    """Called once from IdentityConfig.ready()."""
    from django.db.models.signals import post_delete, post_save
    from rest_framework.authtoken.models import Token

    from apps.core.models import Organisation, Region
    from apps.identity.models import User

    for model in (Token, User, Organisation, Region):
        post_save.connect(_saved, sender=model, dispatch_uid=f"identity_principal_{model.__name__}_save")
        post_delete.connect(principals_changed, sender=model, dispatch_uid=f"identity_principal_{model.__name__}_delete")
