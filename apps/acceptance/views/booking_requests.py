"""The citizen's page of a queued booking request (decision 0405): 排队确认中 → confirmed / refused."""
from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from apps.acceptance.models import BookingRequestState
from apps.acceptance.services.booking_queue import booking_request_status


class BookingRequestPublicView(LoginRequiredMixin, TemplateView):
    """Shows the request's state; the page polls the status API and moves on to the appointment
    once it is confirmed (and refreshes itself without JavaScript)."""

    template_name = "acceptance/public/booking_request.html"

    def get(self, request, *args, **kwargs):
        ticket = booking_request_status(request_id=kwargs["request_id"], user=request.user)
        if ticket is None:
            raise Http404
        if ticket.state == BookingRequestState.CONFIRMED and ticket.appointment is not None:
            return redirect(ticket.appointment.get_absolute_url())
        return self.render_to_response(self.get_context_data(
            ticket=ticket, status_url=reverse("acceptance-booking-request", args=[ticket.request_id]),
            queued=ticket.state == BookingRequestState.QUEUED))
