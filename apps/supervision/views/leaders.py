"""The "一把手走流程" column (PORTAL-3.1): published information and notices, and each leader's
report on their own department — efficiency scores, complaint statistics, overdue complaints and
overdue cases (all through the kernel's data scope, so a leader sees their department only)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from apps.core.views.mixins import StaffPermissionMixin
from apps.supervision.forms_efficiency import LeaderPostForm
from apps.supervision.models import LeaderPost
from apps.supervision.selectors_dashboard import leader_report
from apps.supervision.services.leaders import leader_post_publish
from apps.supervision.views.efficiency_admin import _put_errors


class LeaderColumnView(StaffPermissionMixin, ListView):
    """The column: every published post, newest first; publishers get the form on the same page."""

    permission_required = None
    template_name = "supervision/leader_column.html"
    paginate_by = 20

    def get_queryset(self):
        return LeaderPost.objects.select_related("organisation")

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(title=_("一把手走流程"), can_publish=user.has_perm("supervision.add_leaderpost"),
                       can_report=user.has_perm("supervision.view_leader_report"))
        context.setdefault("form", LeaderPostForm())
        return context

    def post(self, request):
        form = LeaderPostForm(request.POST)
        if form.is_valid():
            try:
                leader_post_publish(actor=request.user, **form.cleaned_data)
            except PermissionDenied:
                raise
            except ValidationError as exc:
                _put_errors(form, exc)
            else:
                messages.success(request, _("已发布。"))
                return redirect("supervision:leader-column")
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class LeaderReportView(StaffPermissionMixin, TemplateView):
    permission_required = "supervision.view_leader_report"
    template_name = "supervision/leader_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.request.user.organisation
        context.update(title=_("%(o)s 效能报表") % {"o": organisation.name}, organisation=organisation,
                       **leader_report(user=self.request.user))
        return context
