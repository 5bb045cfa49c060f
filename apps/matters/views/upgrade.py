"""Pages of the MAT-7 upgrades: online-handling address errors (7.9), intermediary services (7.10)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.scope import restrict
from apps.core.views.mixins import StaffPermissionMixin, StaffRequiredMixin
from apps.matters import selectors
from apps.matters.models import AddressError
from apps.matters.services.upgrade import address_error_correct, intermediary_service_add


class AddressErrorListView(StaffPermissionMixin, View):
    """Each department sees its own errors; a 营商局 sees its region's and searches by department."""

    permission_required = "matters.view_addresserror"

    def get(self, request):
        errors = restrict(AddressError.objects.all(), request.user).select_related(
            "implementation_item", "department")
        department = request.GET.get("department", "").strip()
        if department:
            errors = errors.filter(department__name__icontains=department)
        if request.GET.get("open") == "1":
            errors = errors.filter(corrected_at__isnull=True)
        return render(request, "matters/address_errors.html", {
            "title": _("网办地址错误列表"), "errors": errors[:300], "department": department})

    def post(self, request):
        if request.POST.get("action") == "check":
            return self._start_check(request)
        pk = request.POST.get("error", "")
        error = get_object_or_404(restrict(AddressError.objects.all(), request.user), pk=int(pk) if pk.isdigit() else 0)
        try:
            address_error_correct(actor=request.user, error=error, pc_url=request.POST.get("pc_url", "").strip(),
                                  mobile_url=request.POST.get("mobile_url", "").strip(),
                                  online_url=request.POST.get("online_url", "").strip())
            messages.success(request, _("地址已纠正。"))
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        return redirect("matters:address-errors")


    def _start_check(self, request):
        """Start the address check of the user's region as a job; the page follows its progress."""
        if not request.user.has_perm("matters.add_addresserror"):
            return self.handle_no_permission()
        from apps.core.jobs import job_create, job_url
        from apps.matters.tasks import address_check

        job = job_create(kind="matters.address_check", title=_("网办地址检测"), user=request.user)
        address_check.delay(job.pk)
        return redirect(job_url(job))


class IntermediaryServiceView(StaffRequiredMixin, View):
    def post(self, request, pk):
        item = selectors.access_implementation_item(request.user, pk)
        days = request.POST.get("time_limit_working_days", "")
        try:
            intermediary_service_add(actor=request.user, item=item, name=request.POST.get("name", ""),
                                     legal_basis=request.POST.get("legal_basis", ""),
                                     provider_requirements=request.POST.get("provider_requirements", ""),
                                     time_limit_working_days=int(days) if days.isdigit() else None,
                                     is_charged=request.POST.get("is_charged") == "1",
                                     fee_basis=request.POST.get("fee_basis", ""))
            messages.success(request, _("中介服务事项已保存。"))
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        return redirect(item.get_absolute_url())


class StagedReviewView(StaffRequiredMixin, View):
    """The county bureau's initial or the provincial department's final decision (MAT-7.12)."""

    def post(self, request, pk):
        from apps.matters.models import StagedReview
        from apps.matters.services.staged_review import staged_review_decide

        review = get_object_or_404(StagedReview.objects.select_related("implementation_item"), pk=pk)
        try:
            staged_review_decide(actor=request.user, review=review, approve=request.POST.get("decision") == "approve",
                                 comment=request.POST.get("comment", ""))
            messages.success(request, _("审核意见已提交。"))
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        return redirect("matters:staged-review-done")


class StagedReviewListView(StaffRequiredMixin, View):
    """待审核 for the acting unit: initial reviews of its county (营商局) and final reviews addressed to it."""

    def get(self, request):
        from django.db.models import Q

        from apps.matters.models import StagedReview

        own = getattr(request.user, "organisation", None)
        reviews = StagedReview.objects.none()
        if own is not None:
            mine = Q(stage=StagedReview.Stage.FINAL, final_department=own)
            if own.kind == "business_environment_bureau":
                mine |= Q(stage=StagedReview.Stage.INITIAL, implementation_item__region_id=own.region_id)
            reviews = StagedReview.objects.filter(mine)
            reviews = reviews.select_related("implementation_item__implementing_body", "submitted_by")
        return render(request, "matters/staged_reviews.html", {"title": _("个性化审核"), "reviews": reviews[:200]})
