"""Service-guide evaluation (REV-14.2, 15.3, 23.2.1) through the matter-library adapter
(REV-21.1), and the evaluation QR codes of halls, windows, staff and items (REV-1.6, 1.7, 16.3)."""
from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_http_methods

from apps.acceptance.models import Hall, HallStaff, Window
from apps.core.scope import can_see
from apps.core.views.mixins import StaffRequiredMixin
from apps.matters.models import ImplementationItem
from apps.reviews import convenient
from apps.reviews.adapters import matters as library
from apps.reviews.models import EvaluationChannel, ObjectKind
from apps.reviews.services.evaluations import EvaluationInput, evaluation_form_context, evaluation_submit

#: REV-15.3 criteria × REV-23.2 convenient impression scale (好 / 中 / 差), see convenient.py.
GUIDE_CRITERIA = convenient.GUIDE
IMPRESSIONS = convenient.IMPRESSION_VALUES
VIA = {"qr": EvaluationChannel.QR, "app": EvaluationChannel.APP, "terminal": EvaluationChannel.SELF_SERVICE_TERMINAL}


@login_required
@require_http_methods(["GET", "POST"])
def guide_evaluate(request, code: str):
    """A citizen rates a service guide: overall level, tags, an impression of its clarity, ease of
    use, accuracy and reasonableness, and a comment. Real-name level L2 required."""
    from apps.reviews.views.public import _require_real_name

    _require_real_name(request)
    item = library.guide_by_code(code)
    channel = VIA.get(request.GET.get("via", ""), EvaluationChannel.PC)
    context = {"guide": library.guide_summary(item), "criteria": GUIDE_CRITERIA, "impressions": IMPRESSIONS,
               **evaluation_form_context(ObjectKind.SERVICE_GUIDE)}
    if request.method == "POST":
        try:
            evaluation = evaluation_submit(data=EvaluationInput(
                object_kind=ObjectKind.SERVICE_GUIDE, channel=channel, level=request.POST.get("level"),
                tags=request.POST.getlist("tags"), indicators=convenient.impressions_from(
                    request.POST, object_kind=ObjectKind.SERVICE_GUIDE, channel=channel),
                comment=request.POST.get("comment", ""), matter=item, evaluator=request.user,
                is_anonymous=bool(request.POST.get("is_anonymous"))))
        except ValidationError as exc:
            context["error"] = "；".join(exc.messages)
            return render(request, "reviews/public/guide_evaluate.html", context, status=400)
        messages.success(request, _("评价已提交，评价编号 %(n)s。感谢您的评价！") % {"n": evaluation.evaluation_number})
        return redirect("reviews-public:mine")
    return render(request, "reviews/public/guide_evaluate.html", context)


def qr_target(request, kind: str, pk: int) -> tuple[object, str]:
    """The object and the evaluation URL its QR code encodes, if the user may manage it."""
    if kind == "item":
        obj = get_object_or_404(ImplementationItem.objects.select_related("region"), pk=pk)
        path = reverse("reviews-public:guide-evaluate", args=[obj.implementation_code]) + "?via=qr"
        hall_like = obj
    elif kind == "window":
        obj = get_object_or_404(Window.objects.select_related("hall"), pk=pk)
        path = reverse("reviews-public:static-qr", args=["window", f"{obj.hall.qr_token}.{obj.window_number}"])
        hall_like = obj.hall
    elif kind in ("hall", "staff"):
        obj = get_object_or_404(Hall if kind == "hall" else HallStaff.objects.select_related("hall"), pk=pk)
        path = reverse("reviews-public:static-qr", args=[kind, obj.qr_token])
        hall_like = obj if kind == "hall" else obj.hall
    else:
        raise Http404
    if not can_see(request.user, hall_like):
        raise Http404
    return obj, request.build_absolute_uri(path)


class QrImageView(StaffRequiredMixin, View):
    """PNG of a static evaluation QR code for posting at a window, on a badge or desk plate, or on
    a guide page and terminal; the encoded URL is also sent in the X-Evaluation-Url header."""

    def get(self, request, kind: str, pk: int):
        import qrcode

        if not (request.user.has_perm("reviews.manage_evaluations") or request.user.is_superuser):
            raise PermissionDenied(_("您没有生成评价二维码的权限。"))
        _obj, url = qr_target(request, kind, pk)
        buffer = io.BytesIO()
        qrcode.make(url).save(buffer, format="PNG")
        response = HttpResponse(buffer.getvalue(), content_type="image/png")
        response["Content-Disposition"] = f'attachment; filename="review-qr-{kind}-{pk}.png"'
        response["X-Evaluation-Url"] = url
        return response
