"""What makes a cached user-info answer stale (apps.identity.sso.userinfo_cache, decision 0209).

Connected once from IdentityConfig.ready(). Model signals cover every save and delete (also bulk
deletes: with a receiver connected, Django deletes access tokens row by row and signals each). The
services that change users with a queryset update (apps.identity.services.levels) call
`userinfo_cache.user_changed` themselves.
"""
from __future__ import annotations

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_delete, post_save

from apps.identity.models import UserKind
from apps.identity.sso import userinfo_cache

# A save that touches only these columns changes no claim (every login writes last_login).
_CLAIMLESS_FIELDS = frozenset({"last_login", "password", "password_must_change"})


def _user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= _CLAIMLESS_FIELDS:
        return
    userinfo_cache.user_changed(instance.pk)
    if instance.kind == UserKind.LEGAL_PERSON and not kwargs.get("created"):
        _agents_of_changed(instance)


def _agents_of_changed(legal_person) -> None:
    """A legal person's name or credit code is in its agents' `agent_of` claim."""
    from apps.identity.models import AgentAuthorisation

    agents = AgentAuthorisation.objects.filter(legal_person=legal_person).values_list("agent_id", flat=True)
    userinfo_cache.user_changed(*set(agents))


def _user_deleted(sender, instance, **kwargs):
    userinfo_cache.user_changed(instance.pk)


def _organisation_changed(sender, instance, **kwargs):
    userinfo_cache.organisation_changed(instance.pk)


def _agent_authorisation_changed(sender, instance, **kwargs):
    userinfo_cache.user_changed(instance.agent_id)


def _clients_changed(sender, instance, **kwargs):
    userinfo_cache.clients_changed()


def _access_token_changed(sender, instance, created=False, **kwargs):
    if not created:
        userinfo_cache.token_changed(instance.token_checksum or userinfo_cache.checksum(instance.token))


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        userinfo_cache.user_changed(user.pk)


def connect() -> None:
    from oauth2_provider.models import get_access_token_model, get_application_model

    from apps.core.models import Organisation
    from apps.identity.models import AgentAuthorisation, ClientSystem, User

    uid = "identity_userinfo_cache"
    post_save.connect(_user_saved, sender=User, dispatch_uid=f"{uid}_user_save")
    post_delete.connect(_user_deleted, sender=User, dispatch_uid=f"{uid}_user_delete")
    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(_organisation_changed, sender=Organisation, dispatch_uid=f"{uid}_org_{name}")
        signal.connect(_agent_authorisation_changed, sender=AgentAuthorisation, dispatch_uid=f"{uid}_agent_{name}")
        signal.connect(_clients_changed, sender=ClientSystem, dispatch_uid=f"{uid}_client_{name}")
        signal.connect(_clients_changed, sender=get_application_model(), dispatch_uid=f"{uid}_application_{name}")
        signal.connect(_access_token_changed, sender=get_access_token_model(), dispatch_uid=f"{uid}_token_{name}")
    user_logged_out.connect(_logged_out, dispatch_uid=f"{uid}_logout")
