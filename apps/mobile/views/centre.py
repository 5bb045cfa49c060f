"""Developer centre (APP-2) and component catalogue with code samples (APP-2.2, 2.3)."""
from django.shortcuts import render
from django.views import View

from apps.core.views.mixins import StaffRequiredMixin
from apps.mobile.models import Component


class DeveloperCentreView(StaffRequiredMixin, View):
    """Platform overview, onboarding process, program structure, UI rules, JSAPI, message centre and the
    open components with their code samples."""

    def get(self, request):
        return render(request, "mobile/developer_centre.html",
                      {"components": Component.objects.filter(is_open=True)})


class StandardsView(StaffRequiredMixin, View):
    """统一标准规范 (APP-1): the four specifications, with the gateway's refusal codes."""

    def get(self, request):
        from apps.mobile.standards import GATEWAY_ERRORS, specifications

        return render(request, "mobile/standards.html", {
            "specifications": specifications(),
            "errors": [(code, status, meaning) for code, (status, meaning) in GATEWAY_ERRORS.items()]})
