"""Portal pages of the seal platform's registers: issuing units (LIC-7.2), seal-making units with
synchronisation and registration (LIC-7.3, 8.2) and digital certificates (LIC-9.9)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from apps.core.exports import ExportColumn
from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.core.views.generic import ScopedListView
from apps.identity.models import User

from ..models import CertificateKind, KeyStorage, SealIssuer, SealMaker, SigningCertificate
from ..services import pki, seal_makers, seals
from .management import run_action


class SealIssuerListView(ScopedListView):
    """制发单位管理: list, add an organisation, enable / disable."""

    model = SealIssuer
    permission_required = "licences.view_sealissuer"
    title = _("印章制发单位")
    template_name = "licences/seal_issuers.html"
    filterset_fields = ["is_enabled"]
    columns = [ExportColumn("单位", "organisation.name"), ExportColumn("统一社会信用代码", "organisation.credit_code"),
               ExportColumn("启用", lambda i: "是" if i.is_enabled else "否"),
               ExportColumn("登记时间", lambda i: i.created_at.strftime("%Y-%m-%d"))]

    def get_queryset(self):
        return super().get_queryset().select_related("organisation").order_by("organisation__name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisations"] = restrict(Organisation.objects.filter(is_enabled=True, seal_issuer__isnull=True),
                                            self.request.user).order_by("name")[:500]
        return context

    def post(self, request):
        organisation = get_object_or_404(restrict(Organisation.objects.all(), request.user),
                                         pk=request.POST.get("organisation") or 0)
        enable = request.POST.get("action", "enable") == "enable"
        run_action(request, lambda: seal_makers.seal_issuer_save(actor=request.user, organisation=organisation,
                                                                 is_enabled=enable))
        return redirect("licences:seal-issuers")


class SealMakerListView(ScopedListView):
    """制章单位: synchronise from the provincial platform, register / unregister (only registered connect)."""

    model = SealMaker
    permission_required = "licences.view_sealmaker"
    title = _("制章单位")
    template_name = "licences/seal_makers.html"
    filterset_fields = ["is_registered"]
    columns = [ExportColumn("编码", "code"), ExportColumn("名称", "name"), ExportColumn("所属单位", "organisation.name"),
               ExportColumn("接口地址", lambda m: m.endpoint or "本平台制章服务"),
               ExportColumn("已注册", lambda m: "是" if m.is_registered else "否"),
               ExportColumn("最近同步", lambda m: m.synced_at.strftime("%Y-%m-%d %H:%M") if m.synced_at else "—")]

    def get_queryset(self):
        return super().get_queryset().select_related("organisation", "certificate")

    def post(self, request):
        user, action = request.user, request.POST.get("action")
        if action == "sync":
            def sync():
                result = seal_makers.seal_makers_sync(actor=user)
                for error in result.errors:
                    from django.contrib import messages

                    messages.warning(request, error)

            run_action(request, sync, _("已从省电子印章平台同步制章单位。"))
        else:
            maker = get_object_or_404(restrict(SealMaker.objects.all(), user), pk=request.POST.get("maker") or 0)
            run_action(request, lambda: seals.seal_maker_register(actor=user, maker=maker,
                                                                  registered=action == "register"))
        return redirect("licences:seal-makers")


class CertificateListView(ScopedListView):
    """数字证书管理: register (import) SM2 certificates, see validity and binding, revoke."""

    model = SigningCertificate
    permission_required = "licences.view_signingcertificate"
    title = _("数字证书")
    template_name = "licences/certificates.html"
    filterset_fields = ["kind", "storage", "is_enabled"]
    columns = [ExportColumn("证书主题", "subject"), ExportColumn("类型", "get_kind_display"),
               ExportColumn("私钥存放", "get_storage_display"), ExportColumn("序列号", "serial"),
               ExportColumn("有效期", lambda c: f"{c.valid_from:%Y-%m-%d} — {c.valid_until:%Y-%m-%d}"),
               ExportColumn("持有人", lambda c: c.holder.username if c.holder else "—"),
               ExportColumn("状态", lambda c: "已吊销" if c.revoked_at else ("启用" if c.is_enabled else "停用"))]

    def get_queryset(self):
        return super().get_queryset().select_related("holder").defer("private_key")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(kinds=CertificateKind.choices, storages=KeyStorage.choices,
                       organisations=restrict(Organisation.objects.filter(is_enabled=True), user).order_by("name")[:500],
                       holders=restrict(User.objects.filter(kind="staff"), user).order_by("username")[:500])
        return context

    def post(self, request):
        user = request.user
        if request.POST.get("action") == "revoke":
            cert = get_object_or_404(restrict(SigningCertificate.objects.all(), user), pk=request.POST.get("certificate") or 0)
            run_action(request, lambda: pki.certificate_revoke(actor=user, certificate=cert,
                                                               reason=request.POST.get("reason", "")),
                       _("证书已吊销。"))
            return redirect("licences:certificates")
        organisation = get_object_or_404(restrict(Organisation.objects.all(), user),
                                         pk=request.POST.get("organisation") or 0)
        holder = restrict(User.objects.all(), user).filter(pk=request.POST.get("holder") or 0).first()
        upload = request.FILES.get("certificate")
        data = upload.read(64 * 1024) if upload else request.POST.get("certificate_pem", "").encode()
        run_action(request, lambda: pki.certificate_import(
            actor=user, data=data, kind=request.POST.get("kind", ""), organisation=organisation,
            storage=request.POST.get("storage", KeyStorage.EXTERNAL),
            private_key_pem=request.POST.get("private_key", ""), hsm_key_ref=request.POST.get("hsm_key_ref", ""),
            holder=holder), _("证书已登记。"))
        return redirect("licences:certificates")
