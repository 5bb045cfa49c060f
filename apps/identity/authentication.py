"""API authentication: DRF's token scheme, loading what every scoped API reads with the token."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class ScopedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, with the user's organisation and its region fetched in the same
    query: data scope (apps.core.scope) needs both on every list, detail and export."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user__organisation__region").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("令牌无效。")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("用户已停用或已删除。"))
        return token.user, token
