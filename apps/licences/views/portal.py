"""Portal pages: seals (list, detail with lifecycle actions) and licences (search, detail, downloads)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.exports import ExportColumn
from apps.core.scope import restrict
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin
from apps.core.workflow import timeline_for

from ..filters import LicenceFilterSet, SealFilterSet
from ..models import Licence, Seal, SealMaker, SealStatus
from ..ofd.render import render_pdf
from ..rendering import render_licence_ofd
from ..services import licence_files, seals as seal_services
from ..work_selectors import licence_actions, signer_choices


class SealListView(ScopedListView):
    model = Seal
    filterset_class = SealFilterSet
    permission_required = "licences.view_seal"
    title = _("电子印章")
    columns = [ExportColumn("印章名称", "name"), ExportColumn("印章编码", "es_id"),
               ExportColumn("用章单位", "organisation.name"), ExportColumn("状态", "get_status_display"),
               ExportColumn("制章单位", lambda s: s.maker.name if s.maker else "—"),
               ExportColumn("制作方式", "get_production_mode_display"),
               ExportColumn("制作时间", lambda s: s.produced_at.strftime("%Y-%m-%d %H:%M") if s.produced_at else "—"),
               ExportColumn("版本", "version"),
               ExportColumn("有效期至", lambda s: s.valid_until.date().isoformat())]

    def get_queryset(self):
        return super().get_queryset().select_related("organisation", "maker").defer("impression", "seal_der")


def _end_of_day(text: str):
    import datetime as dt

    from django.utils import timezone

    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValidationError({"valid_until": _("请填写有效的日期。")}) from exc
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def _error_text(exc: ValidationError) -> str:
    return "；".join(m for messages_ in getattr(exc, "message_dict", {"": exc.messages}).values() for m in messages_)


class SealDetailView(StaffPermissionMixin, View):
    permission_required = "licences.view_seal"
    ACTIONS = {"freeze", "unfreeze", "report_lost", "revoke", "cancel", "approve", "reject", "produce", "renew",
               "change"}

    def _seal(self, request, pk):
        return get_object_or_404(restrict(Seal.objects.select_related("organisation", "maker", "issuer"),
                                          request.user), pk=pk)

    def get(self, request, pk):
        seal = self._seal(request, pk)
        return render(request, "licences/seal_detail.html", {
            "seal": seal, "transitions": timeline_for(seal), "statuses": SealStatus,
            "makers": SealMaker.objects.filter(is_registered=True),
            "logs": seal.signing_logs.select_related("sealer")[:20],
        })

    def post(self, request, pk):
        seal = self._seal(request, pk)
        action, comment = request.POST.get("action", ""), request.POST.get("comment", "")
        if action not in self.ACTIONS:
            raise Http404
        try:
            if action in ("approve", "reject"):
                seal_services.seal_review_impression(actor=request.user, seal=seal, approve=action == "approve",
                                                     comment=comment)
            elif action == "renew":
                seal_services.seal_renew(actor=request.user, seal=seal, valid_until=_end_of_day(
                    request.POST.get("valid_until", "")))
            elif action == "change":
                seal_services.seal_change(actor=request.user, seal=seal, name=request.POST.get("name"),
                                          comment=comment)
            elif action == "produce":
                maker = get_object_or_404(SealMaker, pk=request.POST.get("maker"))
                seal_services.seal_produce(actor=request.user, seal=seal, maker=maker)
            else:
                seal_services.seal_transition(actor=request.user, seal=seal, action=action, comment=comment)
            messages.success(request, _("操作成功。"))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("您没有执行此操作的权限。"))
        return redirect(seal.get_absolute_url())


class LicenceListView(ScopedListView):
    model = Licence
    filterset_class = LicenceFilterSet
    permission_required = "licences.view_licence"
    title = _("证照检索")
    columns = [ExportColumn("证照名称", "name"), ExportColumn("证照编号", "licence_number"),
               ExportColumn("持证主体", "holder_name"), ExportColumn("颁发机构", "issuer.name"),
               ExportColumn("版本", "version"), ExportColumn("状态", "get_status_display")]

    def get_queryset(self):
        queryset = super().get_queryset().select_related("issuer")
        if not self.request.GET.get("status"):  # licence search shows currently valid licences (LIC-1.10)
            queryset = queryset.filter(status="valid")
        return queryset


class LicenceDetailView(StaffPermissionMixin, View):
    """Licence detail with its downloads: sealed OFD, print PDF (a preview before sealing), signed PDF
    (decision 0307) and the offline verification bundle (decision 0309)."""

    permission_required = "licences.view_licence"

    def _licence(self, request, pk):
        return get_object_or_404(restrict(Licence.objects.select_related(
            "issuer", "template", "seal", "generation_channel__application"), request.user), pk=pk)

    def post(self, request, pk):
        """Signing the PDF writes a signing log: a POST (form button), not a link."""
        licence = self._licence(request, pk)
        if request.POST.get("download") != "signed-pdf":
            raise Http404
        return self._sealed_download(request, licence, "signed-pdf")

    def get(self, request, pk):
        licence = self._licence(request, pk)
        fmt = request.GET.get("download")
        if fmt in ("ofd", "pdf"):
            if not licence.ofd_file and fmt == "ofd":
                raise Http404
            # sealed file when there is one; otherwise a preview rendered from the entered data
            data = licence.ofd_file.read() if licence.ofd_file else render_licence_ofd(licence)
            body, kind = (data, "application/ofd") if fmt == "ofd" else (render_pdf(data), "application/pdf")
            return _attachment(body, kind, f"licence-{licence.pk}-v{licence.version}.{fmt}")
        if fmt == "bundle":
            return self._sealed_download(request, licence, fmt)
        if fmt:
            raise Http404
        versions = Licence.objects.filter(licence_code=licence.licence_code).order_by("version")
        sealed = licence.status == "valid" and bool(licence.ofd_file) and licence.seal_id is not None
        actions = licence_actions(request.user, licence)
        return render(request, "licences/licence_detail.html", {
            "licence": licence, "versions": versions, "transitions": timeline_for(licence), "sealed": sealed,
            "actions": actions, "signers": signer_choices(request.user) if "seal" in actions else [],
            "can_sign_pdf": sealed and request.user.has_perm("licences.use_seal"),
            "fingerprints": licence_files.root_fingerprints() if sealed else [],
            "face_rows": [(p.label, licence.face_data.get(p.key, "")) for p in licence.template.parameters.all()
                          if p.kind == "text"]})

    def _sealed_download(self, request, licence, fmt):
        try:
            if fmt == "signed-pdf":
                body = licence_files.licence_signed_pdf(actor=request.user, licence=licence,
                                                        ip_address=request.META.get("REMOTE_ADDR"))
                return _attachment(body, "application/pdf", f"licence-{licence.pk}-v{licence.version}-signed.pdf")
            body = licence_files.licence_offline_bundle(actor=request.user, licence=licence)
            return _attachment(body, "application/zip", f"licence-{licence.pk}-v{licence.version}-offline.zip")
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("您没有执行此操作的权限。"))
        return redirect(licence.get_absolute_url())


def _attachment(body: bytes, kind: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
