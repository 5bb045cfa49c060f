"""Portal pages: outbox messages (list with filters and export, detail with history, retry)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from apps.core.exports import ExportColumn
from apps.core.filters.outbox import OutboxMessageFilterSet
from apps.core.models import OutboxMessage
from apps.core.outbox import outbox_message_retry
from apps.core.selectors.outbox import access_outbox_message
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin
from apps.core.workflow import timeline_for


class OutboxListView(ScopedListView):
    model = OutboxMessage
    filterset_class = OutboxMessageFilterSet
    permission_required = "core.view_outboxmessage"
    title = _("外发消息")
    columns = [
        ExportColumn(_("编号"), "pk", 8),
        ExportColumn(_("对端"), "peer", 12),
        ExportColumn(_("消息类型"), "kind"),
        ExportColumn(_("状态"), "get_status_display", 10),
        ExportColumn(_("投递次数"), "attempts", 8),
        ExportColumn(_("创建时间"), "created_at", 20),
        ExportColumn(_("投递时间"), "delivered_at", 20),
        ExportColumn(_("最近错误"), lambda m: m.last_error[:80], 40),
    ]

    def get_base_queryset(self):
        return OutboxMessage.objects.select_related("region")


class OutboxDetailView(StaffPermissionMixin, TemplateView):
    template_name = "core/outbox/detail.html"
    permission_required = "core.view_outboxmessage"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        message = access_outbox_message(self.request.user, kwargs["pk"])
        context.update(message=message, transitions=timeline_for(message),
                       can_retry=self.request.user.has_perm("core.change_outboxmessage"))
        return context


class OutboxRetryView(StaffPermissionMixin, View):
    permission_required = "core.change_outboxmessage"

    def post(self, request, pk):
        message = access_outbox_message(request.user, pk)
        try:
            outbox_message_retry(message=message, by=request.user, comment=request.POST.get("comment", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("已重新排队投递。"))
        return redirect("core:outbox-detail", pk=pk)


urlpatterns = [
    path("outbox/", OutboxListView.as_view(), name="outbox-list"),
    path("outbox/<int:pk>/", OutboxDetailView.as_view(), name="outbox-detail"),
    path("outbox/<int:pk>/retry/", OutboxRetryView.as_view(), name="outbox-retry"),
]
