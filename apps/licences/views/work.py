"""Licence work pages for clerks and reviewers: entry and drafts box (LIC-1.7, 1.9), the work list with
status tabs, detail actions (submit, review LIC-1.8, seal, change 1.11, annual inspection 1.12, cancel /
abolish / report lost 1.13–1.15) and centralised batch sealing as a job (LIC-1.18).

Views only parse, call the services in services/licences.py and show their messages."""

from __future__ import annotations

from typing import ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from apps.core.exports import ExportColumn
from apps.core.jobs import job_url
from apps.core.scope import restrict
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin

from .. import work_selectors as sel
from ..filters import LicenceWorkFilterSet
from ..models import Licence, LicenceStatus
from ..services import licences as svc
from ..work_forms import LicenceChangeForm, LicenceEntryForm, apply_service_errors

MAX_BATCH = 500


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(m for msgs in exc.message_dict.values() for m in msgs)
    return "；".join(exc.messages)


def _scoped_licence(request, pk) -> Licence:
    return get_object_or_404(restrict(Licence.objects.select_related("template", "issuer"), request.user), pk=pk)


class LicenceWorkListView(ScopedListView):
    """证照办理: status tabs with counts, scoped; the 待盖章 tab selects licences for a batch seal."""

    model = Licence
    filterset_class = LicenceWorkFilterSet
    permission_required = "licences.view_licence"
    template_name = "licences/work_list.html"
    title = gettext_lazy("证照办理")
    columns = [ExportColumn("证照名称", "name"), ExportColumn("证照编号", "licence_number"),
               ExportColumn("持证主体", "holder_name"), ExportColumn("颁发机构", "issuer.name"),
               ExportColumn("版本", "version"), ExportColumn("状态", "get_status_display"),
               ExportColumn("录入时间", lambda x: x.created_at.strftime("%Y-%m-%d %H:%M"))]

    def get_queryset(self):
        self.tab = sel.tab_for(self.request.GET.get("tab"))
        return sel.work_queryset(self.request.user, self.tab)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = sel.work_counts(self.request.user)
        query = self.request.GET.copy()
        for key in ("page", "tab"):
            query.pop(key, None)
        context.update(tab=self.tab, tabs=[(t, counts[t.key]) for t in sel.TABS], filter_query=query.urlencode(),
                       can_enter=self.request.user.has_perm("licences.add_licence"))
        if self.tab.key == "awaiting_sealing":
            context["signers"] = sel.signer_choices(self.request.user)
        return context


class LicenceEntryView(StaffPermissionMixin, View):
    """证照录入: choose a mapped template, then the form; 保存草稿 or 提交录入 (LIC-1.7, 1.9)."""

    permission_required = "licences.add_licence"

    def get(self, request):
        if "template" not in request.GET:
            return render(request, "licences/entry_choose.html", {"choices": sel.entry_choices(request.user)})
        mapping = self._mapping(request, request.GET)
        return self._form_page(request, mapping, LicenceEntryForm(template=mapping.template))

    def post(self, request):
        mapping = self._mapping(request, request.POST)
        form = LicenceEntryForm(request.POST, template=mapping.template)
        draft = request.POST.get("save") == "draft"
        if form.is_valid():
            try:
                licence = svc.licence_enter(actor=request.user, template=mapping.template, issuer=mapping.issuer,
                                            data=form.service_data(), draft=draft)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("已保存到草稿箱。") if draft else _("证照已录入，可提交审核。"))
                return redirect(licence.get_absolute_url())
        return self._form_page(request, mapping, form, status=400)

    def _mapping(self, request, data):
        mapping = sel.entry_pair(request.user, data.get("template"), data.get("issuer"))
        if mapping is None:
            raise Http404(_("该模板未映射到您可颁发的机构，或模板已无效。"))
        return mapping

    def _form_page(self, request, mapping, form, status=200):
        return render(request, "licences/entry_form.html", {
            "form": form, "template_obj": mapping.template, "issuer": mapping.issuer, "mapping": mapping,
            "draft": None}, status=status)


class DraftCompleteView(StaffPermissionMixin, View):
    """Complete a draft from the drafts box with the same form (LIC-1.9)."""

    permission_required = "licences.change_licence"

    def _draft(self, request, pk):
        licence = _scoped_licence(request, pk)
        if licence.status != LicenceStatus.DRAFT or licence.created_by_id != request.user.pk:
            raise Http404  # the drafts box is the user's own (decision 0311)
        return licence

    def get(self, request, pk):
        licence = self._draft(request, pk)
        return self._page(request, licence, LicenceEntryForm(template=licence.template, licence=licence))

    def post(self, request, pk):
        licence = self._draft(request, pk)
        form = LicenceEntryForm(request.POST, template=licence.template, licence=licence)
        if form.is_valid():
            try:
                svc.licence_complete_draft(actor=request.user, licence=licence, data=form.service_data())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("草稿已补全并转入录入，可提交审核。"))
                return redirect(licence.get_absolute_url())
        return self._page(request, licence, form, status=400)

    def _page(self, request, licence, form, status=200):
        return render(request, "licences/entry_form.html", {
            "form": form, "template_obj": licence.template, "issuer": licence.issuer, "draft": licence},
            status=status)


class LicenceActionView(StaffPermissionMixin, View):
    """POST-only actions of the licence detail page; each re-checked by its service."""

    permission_required = "licences.view_licence"
    ACTIONS = frozenset({"submit", "approve", "reject", "seal", "annual_inspection", "cancel", "abolish",
                         "report_lost"})
    DONE: ClassVar[dict] = {"submit": gettext_lazy("已提交审核。"), "approve": gettext_lazy("审核通过，等待盖章。"),
            "reject": gettext_lazy("已退回录入人。"), "seal": gettext_lazy("盖章完成，证照已生效。"),
            "annual_inspection": gettext_lazy("年检已登记，新版本待审核。"),
            "cancel": gettext_lazy("证照已注销，移入历史库。"), "abolish": gettext_lazy("证照已废止，移入历史库。"),
            "report_lost": gettext_lazy("证照已挂失，移入历史库。")}

    def post(self, request, pk):
        licence = _scoped_licence(request, pk)
        action = request.POST.get("action", "")
        if action not in self.ACTIONS:
            raise Http404
        reason = request.POST.get("reason", "").strip()
        target = licence
        try:
            target = self._run(request, licence, action, reason) or licence
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("您没有执行此操作的权限。"))
        else:
            messages.success(request, str(self.DONE[action]))
        return redirect(target.get_absolute_url())

    def _run(self, request, licence, action, reason):
        user = request.user
        if action == "submit":
            svc.licence_submit(actor=user, licences=[licence])
        elif action in ("approve", "reject"):
            svc.licence_review(actor=user, licence=licence, approve=action == "approve", reason=reason)
        elif action == "seal":
            signer = sel.signer_from_value(user, request.POST.get("signer", ""))
            if signer is None:
                raise ValidationError(_("请选择您已获授权的印章和签章证书。"))
            sealed = svc.licence_seal(actor=user, licence=licence, seal=signer[0], certificate=signer[1],
                                      ip_address=request.META.get("REMOTE_ADDR"))
            if sealed is None:
                raise ValidationError(_("证照已不在待盖章状态。"))
        elif action == "annual_inspection":
            return svc.licence_annual_inspection(actor=user, licence=licence)
        else:
            if not reason:
                raise ValidationError(_("请填写原因。"))
            svc.licence_end(actor=user, licence=licence, action=action, reason=reason)
        return None


class LicenceChangeView(StaffPermissionMixin, View):
    """Change a valid licence (LIC-1.11): the allowed fields only; version + 1 goes back to review."""

    permission_required = "licences.change_licence"

    def _valid(self, request, pk):
        licence = _scoped_licence(request, pk)
        if licence.status != LicenceStatus.VALID:
            raise Http404
        return licence

    def get(self, request, pk):
        licence = self._valid(request, pk)
        return self._page(request, licence, LicenceChangeForm(licence=licence))

    def post(self, request, pk):
        licence = self._valid(request, pk)
        form = LicenceChangeForm(request.POST, licence=licence)
        if form.is_valid():
            try:
                new = svc.licence_change(actor=request.user, licence=licence, changes=form.changes())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("变更已保存为第 %(v)s 版，待审核。") % {"v": new.version})
                return redirect(new.get_absolute_url())
        return self._page(request, licence, form, status=400)

    def _page(self, request, licence, form, status=200):
        return render(request, "licences/licence_change.html", {"form": form, "licence": licence}, status=status)


class SealBatchView(StaffPermissionMixin, View):
    """Start a centralised batch seal (LIC-1.18) of the selected (or all on the page) licences awaiting
    sealing; runs as a job on the "signing" queue, the user lands on its progress page."""

    permission_required = "licences.seal_licence"

    def post(self, request):
        back = reverse("licences:work-list") + "?tab=awaiting_sealing"
        field = "page_licence" if request.POST.get("scope") == "page" else "licence"
        ids = sorted({int(x) for x in request.POST.getlist(field) if x.isdigit()})[:MAX_BATCH + 1]
        try:
            job = self._start(request, ids)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect(back)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("您没有执行此操作的权限。"))
            return redirect(back)
        messages.success(request, _("已开始集中盖章：%(n)s 个证照。") % {"n": job.total})
        return redirect(job_url(job))

    def _start(self, request, ids):
        from ..services.signing import seal_batch_check
        from ..tasks import enqueue_seal_batch

        if not ids:
            raise ValidationError(_("请至少选择一个待盖章的证照。"))
        if len(ids) > MAX_BATCH:
            raise ValidationError(_("一次最多盖章 %(n)s 个证照。") % {"n": MAX_BATCH})
        signer = sel.signer_from_value(request.user, request.POST.get("signer", ""))
        if signer is None:
            raise ValidationError(_("请选择您已获授权的印章和签章证书。"))
        seal_batch_check(actor=request.user, seal=signer[0], certificate=signer[1])
        found = list(restrict(Licence.objects.filter(pk__in=ids, status=LicenceStatus.AWAITING_SEALING),
                              request.user).values_list("pk", flat=True))
        if len(found) != len(ids):
            raise ValidationError(_("所选证照中有不在您数据范围内或已不在待盖章状态的，请刷新后重新选择。"))
        with transaction.atomic():
            return enqueue_seal_batch(actor=request.user, licence_ids=found, seal=signer[0],
                                      certificate=signer[1])
