"""Acceptance API: halls, bookable matters, slots, my appointments, book, cancel, tickets, display."""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.acceptance import caching, selectors
from apps.core.api.lean import json_text_response, lean_read
from apps.acceptance.api import serializers as s
from apps.acceptance.models import Appointment, BookableMatter, Slot
from apps.acceptance.services import queue as queue_services
from apps.acceptance.services.booking import SlotFull, appointment_book, appointment_cancel


class AcceptanceHallListApi(generics.ListAPIView):
    """Halls open for booking."""

    permission_classes = [AllowAny]
    serializer_class = s.AcceptanceHallSerializer

    def get_queryset(self):
        return selectors.public_halls()


class AcceptanceHallMatterListApi(generics.ListAPIView):
    """Bookable matters of one hall."""

    permission_classes = [AllowAny]
    serializer_class = s.AcceptanceBookableMatterSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return BookableMatter.objects.none()
        return selectors.public_matters(selectors.public_hall(self.kwargs["pk"]))


class AcceptanceSlotListApi(generics.ListAPIView):
    """Bookable periods of a matter for the next 14 days: booked count and full flag (ACC-1.2).
    Served from the listing cache when it is current (apps/acceptance/caching.py)."""

    permission_classes = [AllowAny]
    serializer_class = s.AcceptanceSlotSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Slot.objects.none()
        matter = get_object_or_404(BookableMatter.objects.select_related("hall"), pk=self.kwargs["pk"],
                                   is_active=True, hall__is_active=True, hall__booking_enabled=True)
        return selectors.bookable_slots(bookable_matter=matter)

    def dispatch(self, request, *args, **kwargs):
        # A plain JSON GET of a cached listing is answered with the stored JSON text (decision 0420): no DRF
        # request cycle, authentication or rendering for the hall's busiest read. Misses, other formats and
        # methods go through DRF as before (and fill the cache).
        if lean_read(request):
            text = caching.listing_text_get(kwargs["pk"])
            if text is not None:
                return json_text_response(text)
        return super().dispatch(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        rows = caching.listing_get(self.kwargs["pk"])
        if rows is None:
            gens = caching.generations()
            rows = [dict(row) for row in self.get_serializer(self.get_queryset(), many=True).data]
            caching.listing_set(self.kwargs["pk"], rows, gens)
        return Response(rows)


class AcceptanceAppointmentListApi(generics.ListCreateAPIView):
    """GET: my appointments. POST: book a slot (409 with a clear message when full)."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.AcceptanceAppointmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Appointment.objects.none()
        return selectors.my_appointments(user=self.request.user)

    @extend_schema(request=s.AcceptanceBookingInputSerializer,
                   responses={201: s.AcceptanceAppointmentSerializer})
    def post(self, request, *args, **kwargs):
        data = s.AcceptanceBookingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        slot = get_object_or_404(Slot.objects.select_related("hall", "bookable_matter__matter"), pk=values.pop("slot"))
        try:
            appointment = appointment_book(slot=slot, actor=request.user, **values)
        except SlotFull as exc:
            return Response({"message": exc.messages[0], "errors": {"slot": exc.messages}, "code": "full"},
                            status=status.HTTP_409_CONFLICT)
        return Response(s.AcceptanceAppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)


class AcceptanceAppointmentCancelApi(APIView):
    """Cancel one of my appointments (before the day, before check-in, at most 3 a day)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: s.AcceptanceAppointmentSerializer})
    def post(self, request, number):
        appointment = get_object_or_404(Appointment, appointment_number=number, user=request.user)
        appointment = appointment_cancel(appointment=appointment, actor=request.user)
        return Response(s.AcceptanceAppointmentSerializer(appointment).data)


class AcceptanceTicketTakeApi(APIView):
    """Queue machine: take a ticket, linked to today's appointment (number or ID card) or a walk-in."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.AcceptanceTicketInputSerializer, responses={201: s.AcceptanceTicketSerializer})
    def post(self, request, pk):
        from django.core.exceptions import PermissionDenied

        hall = get_object_or_404(selectors.Hall, pk=pk, is_active=True)
        if not request.user.has_perm("acceptance.add_queueticket"):
            raise PermissionDenied
        data = s.AcceptanceTicketInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        matter_id = data.validated_data.pop("bookable_matter")
        matter = get_object_or_404(BookableMatter, pk=matter_id, hall=hall) if matter_id else None
        ticket = queue_services.ticket_take(hall=hall, actor=request.user, bookable_matter=matter,
                                            **data.validated_data)
        return Response(s.AcceptanceTicketSerializer(ticket).data, status=status.HTTP_201_CREATED)


class AcceptanceDisplayApi(APIView):
    """What the waiting-room screen shows."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: s.AcceptanceDisplaySerializer})
    def get(self, request, pk):
        hall = get_object_or_404(selectors.Hall, pk=pk, is_active=True)
        return Response(queue_services.display_state(hall=hall))
