"""Reconciliation page: the national platform's holdings vs the matters in use we reported (MAT-7.5)."""
from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.outbox import PeerPermanentError, PeerTemporaryError
from apps.core.views.mixins import StaffPermissionMixin
from apps.matters import selectors
from apps.matters.adapters.national_platform.client import get_platform
from apps.matters.services.reconciliation import CLASSES, reconcile


class ReconciliationView(StaffPermissionMixin, View):
    """Counts per class and the list of differences, within the user's scope."""

    permission_required = "matters.view_implementationitem"

    def get(self, request):
        user = request.user
        error, result = "", None
        try:
            holdings = get_platform().holdings()
        except (PeerTemporaryError, PeerPermanentError) as exc:
            error = _("无法连接国家政务服务平台：%(e)s") % {"e": exc}
        else:
            result = reconcile(holdings=holdings, catalogue_items=selectors.catalogue_item_list(user=user),
                               implementation_items=selectors.implementation_list(user=user),
                               include_extra=user.is_superuser or getattr(user, "is_system_admin", False))
        counts = result.counts if result else {}
        return render(request, "matters/reconciliation.html", {
            "title": _("国家平台对账"), "error": error, "result": result,
            "stats": [(key, label, counts.get(key, 0)) for key, label in CLASSES.items()],
        })
