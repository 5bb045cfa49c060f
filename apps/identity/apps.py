from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "apps.identity"
    label = "identity"
    verbose_name = "统一身份认证"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from apps.identity import menus  # noqa: F401  (menu entries, inbox providers)
        from apps.identity.access import connect_invalidation
        from apps.identity.adapters import directory  # noqa: F401  (outbox peers of IDN-11 reports)
        from apps.identity.principals import connect_invalidation as connect_principal_invalidation
        from apps.identity.sso import (
            application_cache,
            backchannel,  # noqa: F401  (outbox peer of back-channel logout)
            userinfo_invalidation,
        )

        connect_invalidation()
        connect_principal_invalidation()
        userinfo_invalidation.connect()
        application_cache.connect()
        user_logged_out.connect(_propagate_logout, dispatch_uid="identity_backchannel_logout")


def _propagate_logout(sender, request, user, **kwargs):
    """Any logout view (public, portal, CAS) ends the SSO session at every connected client."""
    from apps.identity.sso.backchannel import sso_logout_propagate

    session = getattr(request, "session", None)
    sso_logout_propagate(user=user, session_key=getattr(session, "session_key", "") or "")
