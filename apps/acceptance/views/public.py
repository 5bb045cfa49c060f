"""Public booking pages for citizens (ACC-1.2 – 1.5, 3.3): halls, slots, book, mine, cancel, query."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.acceptance import forms, selectors
from apps.acceptance.models import Appointment, Channel, Hall, HallStaff, Slot
from apps.acceptance.services.booking import appointment_cancel
from apps.acceptance.services.booking_queue import booking_request_submit
from apps.acceptance.services.halls import check_in_qr_open, check_in_qr_verify
from apps.acceptance.views.channels import ChannelVisitMixin
from apps.acceptance.views.portal import add_form_errors, qr_png


class HallListPublicView(ChannelVisitMixin, TemplateView):
    visit_function = "halls"
    template_name = "acceptance/public/halls.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(halls=selectors.public_halls(), **kwargs)


class HallPublicView(ChannelVisitMixin, TemplateView):
    """A hall, its bookable matters, and for the chosen matter every period with booked count and full flag."""

    visit_function = "hall"

    template_name = "acceptance/public/hall.html"

    def get_context_data(self, **kwargs):
        hall = selectors.public_hall(kwargs["pk"])
        matters = list(selectors.public_matters(hall))
        chosen = next((m for m in matters if str(m.pk) == self.request.GET.get("matter")),
                      matters[0] if matters else None)
        slots = selectors.bookable_slots(bookable_matter=chosen) if chosen else []
        from apps.acceptance.stats import realtime

        return super().get_context_data(hall=hall, matters=matters, chosen=chosen, slots=slots,
                                        live=realtime(hall=hall), **kwargs)


class HallScanView(TemplateView):
    """Where the hall QR code lands."""

    def get(self, request, token):
        hall = get_object_or_404(Hall, qr_token=token, is_active=True)
        return redirect("acceptance-public:hall", pk=hall.pk)


class StaffCardView(TemplateView):
    template_name = "acceptance/public/staff_card.html"

    def get_context_data(self, **kwargs):
        staff = get_object_or_404(HallStaff.objects.select_related("hall"), qr_token=kwargs["token"], is_active=True)
        return super().get_context_data(staff=staff, **kwargs)


class BookView(LoginRequiredMixin, ChannelVisitMixin, TemplateView):
    visit_function = "book"
    template_name = "acceptance/public/book.html"

    def get_slot(self) -> Slot:
        slot = Slot.objects.select_related("hall", "bookable_matter__matter").filter(pk=self.kwargs["pk"]).first()
        if slot is None or not slot.hall.is_active:
            raise Http404
        return slot

    def get_context_data(self, **kwargs):
        user = self.request.user
        kwargs.setdefault("form", forms.BookingForm(initial={
            "booker_name": user.full_name, "mobile_number": user.mobile_number, "id_number": user.id_number}))
        return super().get_context_data(slot=self.get_slot(), **kwargs)

    def post(self, request, pk):
        form = forms.BookingForm(request.POST)
        if form.is_valid():
            try:
                ticket = booking_request_submit(slot_id=self.get_slot().pk, actor=request.user, channel=Channel.PC,
                                                **form.cleaned_data)
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                if ticket.appointment is None:           # queued (decision 0405): the next page polls
                    return redirect("acceptance-public:booking-request", ticket.request_id)
                appointment = ticket.appointment
                messages.success(request, _("预约成功，预约编号 %(n)s。") % {"n": appointment.appointment_number})
                return redirect(appointment.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class MyAppointmentsView(LoginRequiredMixin, ChannelVisitMixin, TemplateView):
    visit_function = "mine"
    template_name = "acceptance/public/mine.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(appointments=selectors.my_appointments(user=self.request.user)[:100],
                                        **kwargs)

    def post(self, request):
        appointment = get_object_or_404(Appointment, appointment_number=request.POST.get("number"), user=request.user)
        try:
            appointment_cancel(appointment=appointment, actor=request.user)
            messages.success(request, _("预约 %(n)s 已取消。") % {"n": appointment.appointment_number})
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect("acceptance-public:mine")


class AppointmentDetailView(LoginRequiredMixin, TemplateView):
    template_name = "acceptance/public/appointment.html"

    def get_appointment(self) -> Appointment:
        return get_object_or_404(selectors.my_appointments(user=self.request.user),
                                 appointment_number=self.kwargs["number"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(appointment=self.get_appointment(), **kwargs)


class AppointmentQrView(AppointmentDetailView):
    """ACC-1.4: the appointment QR code carries the appointment number for the queue machine."""

    def get(self, request, number):
        return qr_png(self.get_appointment().appointment_number)


class AppointmentQueryView(LoginRequiredMixin, ChannelVisitMixin, TemplateView):
    visit_function = "query"
    """ACC-1.3: the bookings bound to an applicant's ID number (with the booking's mobile number)."""

    template_name = "acceptance/public/query.html"

    def get_context_data(self, **kwargs):
        id_number = self.request.GET.get("id_number", "").strip()
        mobile = self.request.GET.get("mobile_number", "").strip()
        results = selectors.appointments_by_applicant(id_number=id_number, mobile_number=mobile) \
            if id_number and mobile else None
        return super().get_context_data(results=results, id_number=id_number, mobile_number=mobile, **kwargs)


class CheckInView(TemplateView):
    """Where the hall check-in QR code lands (R20): count the request, verify by ID, mobile or number."""

    template_name = "acceptance/public/check_in.html"

    def get(self, request, token):
        try:
            qr = check_in_qr_open(token=token)
        except ValidationError as exc:
            return self.render_to_response({"error": "；".join(exc.messages)}, status=410)
        return self.render_to_response({"qr": qr})

    def post(self, request, token):
        from apps.acceptance.models import HallCheckInQr

        qr = get_object_or_404(HallCheckInQr.objects.select_related("hall"), token=token)
        try:
            appointment = check_in_qr_verify(qr=qr, value=request.POST.get("value", ""),
                                             actor=request.user if request.user.is_authenticated else None)
        except ValidationError as exc:
            return self.render_to_response({"qr": qr, "error": "；".join(exc.messages)})
        return self.render_to_response({"qr": qr, "confirmed": appointment})

