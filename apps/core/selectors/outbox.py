"""Outbox reads, scoped to the user (system admins see every message)."""
from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from apps.core.models import OutboxMessage
from apps.core.scope import restrict


def outbox_message_list(*, user, filters: dict | None = None) -> QuerySet[OutboxMessage]:
    from apps.core.filters.outbox import OutboxMessageFilterSet

    queryset = restrict(OutboxMessage.objects.select_related("region"), user)
    return OutboxMessageFilterSet(filters, queryset).qs if filters is not None else queryset


def access_outbox_message(user, pk) -> OutboxMessage:
    message = restrict(OutboxMessage.objects.select_related("region"), user).filter(pk=pk).first()
    if message is None:
        raise Http404
    return message
