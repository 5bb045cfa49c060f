"""API authentication: DRF's token scheme, loading what every scoped API reads with the token."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from apps.identity.principals import remembered


class ScopedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, with the user's organisation and its region fetched in the same
    query (data scope needs both on every list, detail and export) and remembered across requests
    (apps.identity.principals)."""

    def authenticate_credentials(self, key):
        token = remembered(f"identity:token:{key}", lambda: self._load(key))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("用户已停用或已删除。"))
        return token.user, token

    def _load(self, key):
        model = self.get_model()
        try:
            return model.objects.select_related("user__organisation__region").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("令牌无效。")) from None
