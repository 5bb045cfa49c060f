"""Portal pages: system access requests (PORTAL-9.3) — apply, list, review with flow history."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffRequiredMixin
from apps.core.workflow import timeline_for
from apps.identity import selectors, services
from apps.identity.filters import AccessRequestFilterSet
from apps.identity.forms import AccessRequestForm, DecisionForm
from apps.identity.models import (
    REVIEW_ACCESS_REQUEST_PERMISSION,
    AccessRequestStatus,
    SystemAccessRequest,
)
from apps.identity.views.base import ServiceFormView

STATUS_BADGES = {AccessRequestStatus.PENDING_REVIEW: "warn", AccessRequestStatus.APPROVED: "ok",
                 AccessRequestStatus.REJECTED: "danger"}


class AccessRequestListView(ScopedListView):
    """My requests, and for approvers every request in their scope."""

    model = SystemAccessRequest
    filterset_class = AccessRequestFilterSet
    permission_required = None
    template_name = "identity/access_request_list.html"
    title = "系统访问权限申请"
    columns = [
        ExportColumn("申请人", "applicant", 14), ExportColumn("归属部门", "applicant.organisation.name", 28),
        ExportColumn("申请系统", "get_system_display", 28), ExportColumn("状态", "get_status_display", 10),
        ExportColumn("申请时间", "created_at", 18), ExportColumn("审核人", "reviewer", 14),
    ]

    def get_queryset(self):
        return selectors.access_request_queryset(user=self.request.user)


class AccessRequestCreateView(ServiceFormView):
    permission_required = None
    form_class = AccessRequestForm
    template_name = "identity/form.html"
    title = _("申请系统访问权限")
    success_message = _("申请已提交，请等待审核。")

    def perform(self, form):
        return services.access_request_create(applicant=self.request.user, system=form.cleaned_data["system"],
                                              reason=form.cleaned_data["reason"])

    def get_success_url(self, result):
        return reverse("identity:access-request-detail", args=[result.pk])


class AccessRequestDetailView(StaffRequiredMixin, View):
    template_name = "identity/access_request_detail.html"

    def get_context(self, access_request, form=None) -> dict:
        user = self.request.user
        can_decide = (access_request.status == AccessRequestStatus.PENDING_REVIEW
                      and access_request.applicant_id != user.pk and user.has_perm(REVIEW_ACCESS_REQUEST_PERMISSION))
        return {"object": access_request, "transitions": timeline_for(access_request), "can_decide": can_decide,
                "form": form or DecisionForm(), "badge": STATUS_BADGES.get(access_request.status, "")}

    def get(self, request, pk):
        access_request = selectors.access_request_get(user=request.user, pk=pk)
        return render(request, self.template_name, self.get_context(access_request))

    def post(self, request, pk):
        access_request = selectors.access_request_get(user=request.user, pk=pk)
        form = DecisionForm(request.POST)
        decide = {"approve": services.access_request_approve, "reject": services.access_request_reject}.get(
            request.POST.get("decision"))
        if form.is_valid() and decide:
            try:
                decide(access_request=access_request, actor=request.user, comment=form.cleaned_data["comment"])
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("审核结果已保存。"))
                return redirect(reverse("identity:access-request-detail", args=[pk]))
        elif not decide:
            form.add_error(None, _("请选择“通过”或“驳回”。"))
        return render(request, self.template_name, self.get_context(access_request, form), status=400)


urlpatterns = [
    path("access-requests/", AccessRequestListView.as_view(), name="access-request-list"),
    path("access-requests/new/", AccessRequestCreateView.as_view(), name="access-request-create"),
    path("access-requests/<int:pk>/", AccessRequestDetailView.as_view(), name="access-request-detail"),
]
