"""Queued booking API (decision 0405): POST a request → 202 queued (or 409 约满 at once); GET its state."""
from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.acceptance.api.negotiation import RememberingContentNegotiation
from apps.acceptance.api.plain_input import PlainInput
from apps.acceptance.api.serializers import (
    AcceptanceAppointmentSerializer,
    AcceptanceBookingInputSerializer,
)
from apps.acceptance.models import BookingRequestState, Slot
from apps.acceptance.services.booking import SlotFull
from apps.acceptance.services.booking_queue import (
    BookingTicket,
    booking_request_status,
    booking_request_submit,
)


class AcceptanceBookingRequestStateSerializer(serializers.Serializer):
    request_id = serializers.CharField(allow_blank=True, help_text="empty when booked synchronously (Redis down)")
    state = serializers.ChoiceField(choices=BookingRequestState.choices)
    state_label = serializers.CharField()
    code = serializers.CharField(allow_blank=True, help_text="refusal: full / group_full / duplicate / …")
    message = serializers.CharField(allow_blank=True)
    status_url = serializers.CharField(allow_blank=True)
    appointment = AcceptanceAppointmentSerializer(allow_null=True)


def ticket_data(ticket: BookingTicket, status_url: str = "") -> dict:
    """The answer's body. `status_url`: given by the views from their own path — the first `reverse()` in a
    process builds the reverse map of every URL of the project (seconds on a loaded 2-core box, paid by
    the first booking of every gunicorn worker; docs/acceptance-bench.md)."""
    url = (status_url or reverse("acceptance-booking-request", args=[ticket.request_id])) if ticket.request_id else ""
    return {"request_id": ticket.request_id, "state": ticket.state, "state_label": str(ticket.state_label),
            "code": ticket.code, "message": ticket.message, "status_url": url,
            "appointment": AcceptanceAppointmentSerializer(ticket.appointment).data if ticket.appointment else None}


# The input serializer's fields compiled once (decision 0419): valid JSON input is checked without building
# a serializer; anything else goes through AcceptanceBookingInputSerializer itself (same 400 bodies).
BOOKING_INPUT = PlainInput(AcceptanceBookingInputSerializer)


class AcceptanceBookingRequestApi(APIView):
    """Book a slot through the queue: 202 排队确认中 with a request id to poll; 409 with a clear
    "约满" / "事项组约满" message when no place is left (decided in Redis, no database write);
    201 confirmed when the queue is unavailable and the booking was made synchronously."""

    permission_classes = (IsAuthenticated,)
    content_negotiation_class = RememberingContentNegotiation

    @extend_schema(request=AcceptanceBookingInputSerializer,
                   responses={201: AcceptanceBookingRequestStateSerializer, 202: AcceptanceBookingRequestStateSerializer})
    def post(self, request):
        values = BOOKING_INPUT.validated_data(request.data)
        try:
            ticket = booking_request_submit(slot_id=values.pop("slot"), actor=request.user, **values)
        except Slot.DoesNotExist:
            raise Http404 from None
        except SlotFull as exc:
            return self.answer({"message": exc.messages[0], "errors": {"slot": exc.messages}, "code": exc.code or "full"},
                               status.HTTP_409_CONFLICT)
        code = status.HTTP_202_ACCEPTED if ticket.state == BookingRequestState.QUEUED else status.HTTP_201_CREATED
        return self.answer(ticket_data(ticket, f"{request.path}{ticket.request_id}/"), code)

    def answer(self, data: dict, code: int) -> HttpResponse:
        """`Response(data, status=code)`, rendered at once when the negotiated renderer is plain JSON: the same
        bytes and headers as the Response would get from JSONRenderer (Content-Type is the renderer's media
        type, the body rendered for the accepted media type), without the template-response machinery. Any
        other renderer (the browsable API for text/html) gets the Response as before."""
        renderer = getattr(self.request, "accepted_renderer", None)
        if type(renderer) is not JSONRenderer:
            return Response(data, status=code)
        content = renderer.render(data, self.request.accepted_media_type, self.get_renderer_context())
        return HttpResponse(content, status=code, content_type=renderer.media_type)


class AcceptanceBookingRequestDetailApi(APIView):
    """The state of one of my booking requests: queued, confirmed (with the appointment) or refused (reason)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={200: AcceptanceBookingRequestStateSerializer})
    def get(self, request, request_id):
        ticket = booking_request_status(request_id=request_id, user=request.user)
        if ticket is None:
            raise Http404
        return Response(ticket_data(ticket, request.path))
