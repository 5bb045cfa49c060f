"""Read side of the licence generation channels (LIC-4.1): which channel produced which licences, how many
were sealed, which are still awaiting sealing, and the failed or refused calls and sealings of its
application (from the sharing log). Every query starts from the user's data scope."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from apps.core.scope import restrict

from .models import GenerationChannel, Licence, LicenceStatus, SharingLog, SharingOutcome
from .services.external_generation import INTERFACE

PROBLEM_OUTCOMES = (SharingOutcome.FAILED, SharingOutcome.REFUSED)


def _problem_logs():
    return SharingLog.objects.filter(interface_code=INTERFACE, outcome__in=PROBLEM_OUTCOMES)


def channels_with_counts(user):
    """The user's channels with generated / sealed / pending licence counts and failed calls, one query."""
    failures = (_problem_logs().filter(application=OuterRef("application")).order_by()
                .values("application").annotate(n=Count("pk")).values("n"))
    return (restrict(GenerationChannel.objects.all(), user)
            .select_related("application", "issuer", "seal").prefetch_related("templates")
            .annotate(generated=Count("licences"),
                      sealed=Count("licences", filter=~Q(licences__status__in=(
                          LicenceStatus.AWAITING_SEALING, LicenceStatus.DRAFT, LicenceStatus.ENTERED))),
                      pending=Count("licences", filter=Q(licences__status=LicenceStatus.AWAITING_SEALING)),
                      failures=Coalesce(Subquery(failures, output_field=IntegerField()), Value(0)))
            .order_by("application__name"))


def channel_for(user, pk: int) -> GenerationChannel:
    """One channel in the user's scope, with its counts (DoesNotExist outside it)."""
    return channels_with_counts(user).get(pk=pk)


def channel_pending(channel: GenerationChannel, limit: int = 50):
    return (Licence.objects.filter(generation_channel=channel, status=LicenceStatus.AWAITING_SEALING)
            .only("pk", "licence_code", "licence_number", "holder_name", "name", "created_at", "status")
            .order_by("pk")[:limit])


def channel_recent_licences(channel: GenerationChannel, limit: int = 20):
    return (Licence.objects.filter(generation_channel=channel)
            .only("pk", "licence_code", "licence_number", "holder_name", "name", "created_at", "status", "sealed_at")
            .order_by("-pk")[:limit])


def channel_failures(channel: GenerationChannel, limit: int = 30):
    """Refused or failed calls of the channel's application to the generation interface, and sealing
    failures, newest first."""
    return _problem_logs().filter(application=channel.application_id).order_by("-called_at", "-pk")[:limit]
