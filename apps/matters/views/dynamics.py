"""Pages for suspension, cancellation, delegation, batches, notifications (MAT-2.1.7/8, 2.2.10/11, 2.4, 2.5)."""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.core.views.mixins import StaffPermissionMixin, StaffRequiredMixin
from apps.matters import selectors, selectors_dynamics
from apps.matters.models import MatterNotification, SuspensionRequest
from apps.matters.services.dynamics import (
    catalogue_item_cancel, catalogue_item_delegate, delegable_levels, delegation_batch_aggregate,
    delegation_batch_publish, implementation_item_delegate, matter_suspension_review, matter_suspension_submit,
)
from apps.matters.services.notifications import notification_mark_read
from apps.matters.views.items import MatterActionView


def _errors(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


class MatterSuspendView(MatterActionView):
    permission = "change"

    def act(self, request, item):
        matter_suspension_submit(actor=request.user, item=item, reason=request.POST.get("reason", ""))
        messages.success(request, _("暂停申请已提交，审核通过后生效。"))


class CatalogueCancelView(MatterActionView):
    permission = "change"

    def act(self, request, item):
        catalogue_item_cancel(actor=request.user, item=item, reason=request.POST.get("reason", ""))
        messages.success(request, _("事项已注销，已告知各实施主体。"))


class SuspensionReviewView(StaffPermissionMixin, View):
    permission_required = "matters.review_catalogueitem"

    def post(self, request, pk):
        suspension = get_object_or_404(selectors_dynamics.suspension_queue(user=request.user), pk=pk)
        try:
            matter_suspension_review(actor=request.user, request=suspension,
                                     approve=request.POST.get("decision") == "approve",
                                     comment=request.POST.get("comment", ""))
            messages.success(request, _("审核完成。"))
        except ValidationError as error:
            _errors(request, error)
        return redirect(suspension.matter.get_absolute_url())


class DelegateView(StaffPermissionMixin, View):
    """下放: a catalogue item ticks lower exercise levels; an implementation item picks lower bodies."""

    kind = "catalogue"

    def get_permission_required(self):
        return [f"matters.change_{self.kind}item"]

    def _bodies(self, request, item):
        return (restrict(Organisation.objects.filter(is_enabled=True, region__code__startswith=item.region.prefix)
                         .exclude(region_id=item.region_id), request.user).select_related("region").order_by("name"))

    def _render(self, request, item, status=200):
        context = {"item": item, "kind": self.kind, "title": _("事项下放"), "levels": delegable_levels(item),
                   "bodies": self._bodies(request, item) if self.kind == "implementation" else None,
                   "history": item.delegations.select_related("batch")[:20]}
        return render(request, "matters/delegate.html", context, status=status)

    def get(self, request, pk):
        return self._render(request, selectors.access_matter(request.user, self.kind, pk))

    def post(self, request, pk):
        item = selectors.access_matter(request.user, self.kind, pk)
        note = request.POST.get("note", "")
        try:
            if self.kind == "catalogue":
                catalogue_item_delegate(actor=request.user, item=item, levels=request.POST.getlist("to_levels"),
                                        note=note)
            else:
                bodies = list(self._bodies(request, item).filter(pk__in=request.POST.getlist("bodies")))
                implementation_item_delegate(actor=request.user, item=item, bodies=bodies, note=note)
        except ValidationError as error:
            _errors(request, error)
            return self._render(request, item, status=400)
        messages.success(request, _("已下放，下放记录已登记。"))
        return redirect(item.get_absolute_url())


def _date(value: str | None):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class DelegationTrackingView(StaffPermissionMixin, View):
    """下放跟踪: the delegation log with its batch status, statistics by department and level."""

    permission_required = "matters.view_delegation"

    def get(self, request):
        date_from, date_to = _date(request.GET.get("date_from")), _date(request.GET.get("date_to"))
        rows = selectors_dynamics.delegation_list(user=request.user)
        if date_from:
            rows = rows.filter(created_at__date__gte=date_from)
        if date_to:
            rows = rows.filter(created_at__date__lte=date_to)
        return render(request, "matters/delegations.html", {
            "title": _("下放跟踪"), "rows": rows[:200], "date_from": date_from, "date_to": date_to,
            "stats": selectors_dynamics.delegation_statistics(user=request.user, date_from=date_from, date_to=date_to),
            "batches": selectors_dynamics.batch_list(user=request.user)[:50],
        })


class BatchAggregateView(StaffPermissionMixin, View):
    permission_required = "matters.add_delegationbatch"

    def post(self, request):
        try:
            batch = delegation_batch_aggregate(actor=request.user)
        except ValidationError as error:
            _errors(request, error)
            return redirect("matters:delegation-tracking")
        messages.success(request, _("已汇总本期下放清单。"))
        return redirect("matters:batch-detail", pk=batch.pk)


class BatchDetailView(StaffPermissionMixin, View):
    permission_required = "matters.view_delegationbatch"

    def get(self, request, pk, status=200):
        batch = get_object_or_404(selectors_dynamics.batch_list(user=request.user), pk=pk)
        delegations = batch.delegations.select_related("catalogue_item", "department")
        return render(request, "matters/batch_detail.html", {"title": str(batch), "batch": batch,
                                                             "delegations": delegations}, status=status)

    def post(self, request, pk):
        batch = get_object_or_404(selectors_dynamics.batch_list(user=request.user), pk=pk)
        if not request.user.has_perm("matters.add_delegationbatch"):
            return self.handle_no_permission()
        try:
            delegation_batch_publish(actor=request.user, batch=batch, title=request.POST.get("title", ""),
                                     announcement=request.POST.get("announcement", ""))
        except ValidationError as error:
            _errors(request, error)
            return self.get(request, pk, status=400)
        messages.success(request, _("下放公告已发布。"))
        return redirect("matters:batch-detail", pk=pk)


class NotificationListView(StaffRequiredMixin, View):
    def get(self, request):
        return render(request, "matters/notifications.html", {
            "title": _("联动告知"), "rows": selectors_dynamics.notifications_for(user=request.user)[:200]})

    def post(self, request):
        notification = get_object_or_404(MatterNotification, pk=request.POST.get("pk"),
                                         recipient_id=getattr(request.user, "organisation_id", None))
        notification_mark_read(actor=request.user, notification=notification)
        return redirect(notification.url or "matters:notifications")


__all__ = ["SuspensionRequest"]
