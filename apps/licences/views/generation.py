"""Licence generation channels (证照生成接入, LIC-4.1): which department system produced which licences,
counts, failed and refused calls and sealings, and a retry of the sealing of licences left awaiting it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin

from ..filters import GenerationChannelFilterSet
from ..generation_selectors import (
    channel_failures, channel_for, channel_pending, channel_recent_licences, channels_with_counts,
)
from ..models import GenerationChannel
from ..services.external_generation import generation_channel_retry


def _templates(channel) -> str:
    return "、".join(t.name for t in channel.templates.all()) or "—"


class GenerationChannelListView(ScopedListView):
    """证照生成接入: every channel in scope with its licence counts and failures (one query + templates)."""

    model = GenerationChannel
    filterset_class = GenerationChannelFilterSet
    permission_required = "licences.view_sharingapplication"
    title = _("证照生成接入")
    columns = [ExportColumn("接入应用", "application.name"), ExportColumn("颁发机构", "issuer.name"),
               ExportColumn("允许的证照模板", _templates), ExportColumn("印章", "seal.name"),
               ExportColumn("状态", lambda c: "启用" if c.is_enabled else "停用"),
               ExportColumn("已生成", "generated"), ExportColumn("已盖章", "sealed"),
               ExportColumn("待盖章", "pending"), ExportColumn("失败/拒绝调用", "failures")]

    def get_queryset(self):
        return channels_with_counts(self.request.user)


class GenerationChannelDetailView(StaffPermissionMixin, View):
    """One channel: configuration, counts, licences awaiting sealing (retry), recent licences, failures."""

    permission_required = "licences.view_sharingapplication"

    def _channel(self, request, pk):
        try:
            return channel_for(request.user, pk)
        except GenerationChannel.DoesNotExist as exc:
            raise Http404 from exc

    def get(self, request, pk):
        channel = self._channel(request, pk)
        return render(request, "licences/generation_channel_detail.html", {
            "channel": channel, "templates": channel.templates.all(), "pending": channel_pending(channel),
            "recent": channel_recent_licences(channel), "failures": channel_failures(channel),
            "can_retry": request.user.has_perm("licences.change_sharingapplication"),
        })

    def post(self, request, pk):
        channel = self._channel(request, pk)
        if request.POST.get("action") != "retry":
            raise Http404
        try:
            result = generation_channel_retry(actor=request.user, channel=channel)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("您没有执行此操作的权限。"))
            return redirect(channel.get_absolute_url())
        summary = _("本次处理 %(tried)s 个：盖章成功 %(sealed)s 个，失败 %(failed)s 个；仍待盖章 %(remaining)s 个。") % result
        if result["failed"]:
            messages.warning(request, summary + _("失败原因见下方“失败记录”。"))
        else:
            messages.success(request, summary)
        return redirect(channel.get_absolute_url())
