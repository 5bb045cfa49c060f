"""SMS reads, scoped: staff see SMS to people of their scope and schedules of their organisation."""
from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from apps.core.models import SmsMessage, SmsSchedule
from apps.core.scope import restrict


def sms_message_list(*, user) -> QuerySet[SmsMessage]:
    return restrict(SmsMessage.objects.select_related("recipient", "outbox_message"), user)


def sms_schedule_list(*, user) -> QuerySet[SmsSchedule]:
    return restrict(SmsSchedule.objects.select_related("organisation").prefetch_related("times"), user)


def access_sms_schedule(user, pk) -> SmsSchedule:
    schedule = sms_schedule_list(user=user).prefetch_related("recipients").filter(pk=pk).first()
    if schedule is None:
        raise Http404
    return schedule
