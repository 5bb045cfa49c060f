"""渠道与需求监测 (ACC-2.6 channel volume analysis, ACC-5.11 demand management) and the visit counter
the public pages use."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.acceptance.models import Hall, WarningMetric, WarningPlan
from apps.acceptance.services import channels as svc
from apps.core.scope import restrict
from apps.core.views.mixins import StaffPermissionMixin


class ChannelVisitMixin:
    """Counts a GET of a public page as one visit of the request's channel to `visit_function`."""

    visit_function = ""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
            svc.visit_record(channel=svc.channel_of(request), function=self.visit_function)
        return response


class ChannelDemandView(StaffPermissionMixin, TemplateView):
    permission_required = "acceptance.view_channelvisit"
    template_name = "acceptance/channels.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        volume = svc.channel_volume(user=user)
        demand = svc.demand_analysis(user=user)
        chart = {"channels": [c["label"] for c in volume["channels"]],
                 "total": [c["total"] for c in volume["channels"]],
                 "today": [c["today"] for c in volume["channels"]],
                 "bookings": [c["bookings"] for c in volume["channels"]]}
        return super().get_context_data(
            volume=volume, demand=demand, chart=chart,
            warnings=svc.warnings_raised(user=user, volume=volume, demand=demand),
            plans=restrict(WarningPlan.objects.all(), user).select_related("hall"),
            halls=restrict(Hall.objects.filter(is_active=True), user).order_by("pk"), metrics=WarningMetric.choices,
            can_add=user.has_perm("acceptance.add_warningplan"), **kwargs)

    def post(self, request):
        post = request.POST
        hall = restrict(Hall.objects.all(), request.user).filter(pk=post.get("hall") or 0).first() \
            if str(post.get("hall", "")).isdigit() else None
        try:
            svc.warning_plan_save(actor=request.user, name=post.get("name", ""), metric=post.get("metric", ""),
                                  hall=hall, threshold=post.get("threshold"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("预警计划已保存。"))
        return redirect("acceptance:channels")
