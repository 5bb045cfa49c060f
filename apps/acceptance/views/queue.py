"""Queue console for window staff, the queue-machine kiosk page and the waiting-room display."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from apps.acceptance import selectors
from apps.acceptance.models import BookableMatter, QueueTicket, Window
from apps.acceptance.services import queue as queue_services
from apps.core.views.mixins import StaffPermissionMixin


class QueueConsoleView(StaffPermissionMixin, TemplateView):
    """One page per hall: pick your window, call next, recall, skip, finish, transfer."""

    permission_required = "acceptance.change_queueticket"
    template_name = "acceptance/queue_console.html"

    def get_window(self, hall):
        window_id = self.request.GET.get("window") or self.request.POST.get("window")
        return Window.objects.filter(hall=hall, pk=window_id).first() if window_id else None

    def post(self, request, *args, **kwargs):
        hall = selectors.access_hall(request.user, kwargs["hall"])
        window = self.get_window(hall)
        action = request.POST.get("action")
        try:
            if window is None:
                raise ValidationError(_("请先选择窗口。"))
            if action == "call":
                ticket = queue_services.ticket_call_next(window=window, actor=request.user)
                messages.success(request, _("请 %(n)s 号到 %(w)s 号窗口办理。") % {"n": ticket.number, "w": window.window_number}
                                 if ticket else _("当前没有等候的号码。"))
            else:
                ticket = get_object_or_404(QueueTicket, pk=request.POST.get("ticket"), hall=hall)
                if action == "recall":
                    queue_services.ticket_recall(ticket=ticket, actor=request.user)
                elif action == "skip":
                    queue_services.ticket_skip(ticket=ticket, actor=request.user)
                elif action == "finish":
                    queue_services.ticket_finish(ticket=ticket, actor=request.user)
                elif action == "transfer":
                    target = get_object_or_404(Window, pk=request.POST.get("target"), hall=hall)
                    queue_services.ticket_transfer(ticket=ticket, target_window=target, actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(f"{request.path}?window={window.pk}" if window else request.path)

    def get_context_data(self, **kwargs):
        hall = selectors.access_hall(self.request.user, self.kwargs["hall"])
        kwargs.pop("hall", None)
        window = self.get_window(hall)
        tickets = list(selectors.ticket_list(user=self.request.user, hall=hall))
        current = next((t for t in tickets if window and t.window_id == window.pk and t.status == "called"), None)
        return super().get_context_data(hall=hall, window=window, windows=hall.windows.filter(is_active=True),
                                         tickets=tickets, current=current, **kwargs)


class DisplayView(TemplateView):
    """Waiting-room screen (public, no login): polls display.json every few seconds."""

    template_name = "acceptance/public/display.html"

    def get_context_data(self, **kwargs):
        hall = get_object_or_404(selectors.Hall, pk=kwargs["pk"], is_active=True)
        return super().get_context_data(hall=hall, state=queue_services.display_state(hall=hall), **kwargs)


class DisplayJsonView(View):
    def get(self, request, pk):
        hall = get_object_or_404(selectors.Hall, pk=pk, is_active=True)
        return JsonResponse(queue_services.display_state(hall=hall))


class KioskView(TemplateView):
    """The queue machine's screen (R19, ACC-0.6): appointment number or ID card → priority ticket;
    otherwise a walk-in ticket for a chosen matter."""

    template_name = "acceptance/public/kiosk.html"

    def get_hall(self):
        return get_object_or_404(selectors.Hall, pk=self.kwargs["pk"], is_active=True)

    def post(self, request, pk):
        hall = self.get_hall()
        matter = BookableMatter.objects.filter(hall=hall, pk=request.POST.get("matter") or 0).first()
        try:
            ticket = queue_services.ticket_take(
                hall=hall, actor=request.user if request.user.is_authenticated else None,
                appointment_number=request.POST.get("appointment_number", "").strip(),
                id_number=request.POST.get("id_number", "").strip(), bookable_matter=matter)
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(error="；".join(exc.messages)))
        return self.render_to_response(self.get_context_data(ticket=ticket))

    def get_context_data(self, **kwargs):
        hall = self.get_hall()
        return super().get_context_data(hall=hall, matters=selectors.public_matters(hall), **kwargs)
