"""Portal pages: review of registrations (IDN-5.2 manual review; 10.1/10.2 uploaded images rotate
90° per click; temporary legal persons highlighted, their checklist leaves out the credit code)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View

from apps.core.views.mixins import StaffPermissionMixin
from apps.core.workflow import timeline_for
from apps.identity.models import RegistrationImage
from apps.identity.services import review as services
from apps.identity.services.registration_images import registration_image_rotate

PERSON_CHECKS = ["证件类型与证件号码", "姓名", "证件有效期", "手机号码", "归属区划"]
STAFF_CHECKS = ["证件类型与证件号码", "姓名", "证件有效期", "手机号码", "所在部门"]
LEGAL_CHECKS = ["单位名称", "法人类型", "统一社会信用代码", "法定代表人姓名与证件", "手机号码", "归属区划"]


def checklist_for(user) -> list[str]:
    if user.kind == "legal_person":
        return [c for c in LEGAL_CHECKS if not (user.is_temporary_legal_person and c == "统一社会信用代码")]
    return STAFF_CHECKS if user.kind == "staff" else PERSON_CHECKS


class ReviewListView(StaffPermissionMixin, View):
    permission_required = services.REVIEW_PERMISSION

    def get(self, request):
        kind = request.GET.get("kind", "")
        rows = services.review_queue()
        if kind in ("natural_person", "legal_person", "staff"):
            rows = rows.filter(kind=kind)
        return render(request, "identity/review_list.html", {"rows": rows[:200], "kind": kind})


class ReviewDetailView(StaffPermissionMixin, View):
    permission_required = services.REVIEW_PERMISSION

    def get_object(self, pk):
        return get_object_or_404(services.review_queue().model.objects.select_related("home_region", "organisation"),
                                 pk=pk)

    def get(self, request, pk):
        applicant = self.get_object(pk)
        return render(request, "identity/review_detail.html", {
            "applicant": applicant, "checklist": checklist_for(applicant),
            "images": applicant.registration_images.all(),
            "transitions": timeline_for(applicant, state_field="review_status")})

    def post(self, request, pk):
        applicant = self.get_object(pk)
        try:
            services.registration_review(user=applicant, approve=request.POST.get("decision") == "approve",
                                         opinion=request.POST.get("opinion", ""), actor=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("identity:review-detail", pk=pk)
        messages.success(request, _("审核结果已保存。"))
        return redirect("identity:review-list")


class ReviewImageView(StaffPermissionMixin, View):
    """The stored image (reviewers only; never a public media URL); POST rotates it 90°."""

    permission_required = services.REVIEW_PERMISSION

    def get(self, request, pk):
        image = get_object_or_404(RegistrationImage, pk=pk)
        response = FileResponse(image.image.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "private, no-store"
        return response

    def post(self, request, pk):
        image = get_object_or_404(RegistrationImage, pk=pk)
        try:
            registration_image_rotate(image=image, clockwise=request.POST.get("direction") != "left",
                                      actor=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect(f"{reverse('identity:review-detail', args=[image.user_id])}#image-{image.pk}")


urlpatterns = [
    path("reviews/", ReviewListView.as_view(), name="review-list"),
    path("reviews/<int:pk>/", ReviewDetailView.as_view(), name="review-detail"),
    path("reviews/images/<int:pk>/", ReviewImageView.as_view(), name="review-image"),
]
