"""Portal pages of one-window acceptance: to-do list, window intake, case detail with actions, documents,
supplements (ACC-6.x, 7.x, 9.x, 10.x)."""
from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.acceptance import forms_cases as cf
from apps.acceptance import selectors
from apps.acceptance.documents import document_qr_codes, render_handover_pdf, render_pdf
from apps.acceptance.services.bags import archive_bag_open, bag_handover
from apps.acceptance.models import (
    Case, CaseChannel, CaseClassification, CaseStatus, CaseSupplement, DispatchStatus, DocumentKind, IssuanceStatus,
    SupplementStatus,
)
from apps.acceptance.services import assist as assist_services
from apps.acceptance.services import drafts
from apps.acceptance.services import onewindow as ow
from apps.acceptance.services.cases import case_accept, case_classify
from apps.acceptance.services.issuance import case_issue, delivery_track, result_sign_for
from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin


class CaseFilterSet(django_filters.FilterSet):
    case_number = django_filters.CharFilter(label=gettext_lazy("办件编号"), lookup_expr="icontains")
    applicant_name = django_filters.CharFilter(label=gettext_lazy("申请人"), lookup_expr="icontains")
    item = django_filters.CharFilter(label=gettext_lazy("事项名称"), field_name="item__name", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=gettext_lazy("办件状态"), choices=CaseStatus.choices)
    channel = django_filters.ChoiceFilter(label=gettext_lazy("申报渠道"), choices=CaseChannel.choices)
    dispatch_status = django_filters.ChoiceFilter(label=gettext_lazy("分发状态"), choices=DispatchStatus.choices[1:])
    issuance_status = django_filters.ChoiceFilter(label=gettext_lazy("出件状态"), choices=IssuanceStatus.choices[1:])
    is_immediate = django_filters.BooleanFilter(label=gettext_lazy("即办件"), field_name="item__is_immediate")
    classification = django_filters.ChoiceFilter(label=gettext_lazy("申办件分类"), choices=CaseClassification.choices)

    class Meta:
        model = Case
        fields = ["case_number", "applicant_name", "item", "status", "channel", "dispatch_status",
                  "issuance_status", "is_immediate", "classification"]


class CaseListView(ScopedListView):
    """待办/业务查询 (ACC-6.3, 7.17, 7.20, 10.3, 10.4): every case in scope, filtered by state."""

    model = Case
    filterset_class = CaseFilterSet
    permission_required = "acceptance.view_case"
    title = gettext_lazy("综合受理")
    template_name = "acceptance/case_list.html"
    columns = [ExportColumn(gettext_lazy("办件编号"), "case_number"), ExportColumn(gettext_lazy("事项"), "item.name"),
               ExportColumn(gettext_lazy("申请人"), "applicant_name"),
               ExportColumn(gettext_lazy("分类"), "get_classification_display"),
               ExportColumn(gettext_lazy("渠道"), "get_channel_display"),
               ExportColumn(gettext_lazy("状态"), "get_status_display"),
               ExportColumn(gettext_lazy("分发"), "get_dispatch_status_display"),
               ExportColumn(gettext_lazy("出件"), "get_issuance_status_display"),
               ExportColumn(gettext_lazy("申报时间"), "submitted_at")]

    def get_base_queryset(self):
        return Case.objects.select_related("item")


class SupplementListView(ScopedListView):
    """待补齐补正业务列表 and 补正记录 (ACC-9.2, 9.3)."""

    model = CaseSupplement
    permission_required = "acceptance.view_case"
    title = gettext_lazy("补齐补正")
    columns = [ExportColumn(gettext_lazy("办件编号"), "case.case_number"),
               ExportColumn(gettext_lazy("补正内容"), "content"), ExportColumn(gettext_lazy("截止日期"), "deadline"),
               ExportColumn(gettext_lazy("状态"), "get_status_display"),
               ExportColumn(gettext_lazy("补正时间"), "submitted_at")]

    class filterset_class(django_filters.FilterSet):  # noqa: N801 — FilterView attribute
        status = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=SupplementStatus.choices)

        class Meta:
            model = CaseSupplement
            fields = ["status"]

    def get_base_queryset(self):
        return CaseSupplement.objects.select_related("case")


class CaseIntakeView(StaffPermissionMixin, TemplateView):
    """收件 (ACC-7.2, 7.5, 7.7): pick the item, tick situations, see the checklist, tick received materials."""

    permission_required = "acceptance.change_case"
    template_name = "acceptance/case_intake.html"

    def _draft(self):
        pk = self.request.GET.get("draft") or self.request.POST.get("draft")
        return drafts.access_draft(self.request.user, pk) if pk else None

    def _item(self, draft=None):
        from apps.matters.selectors import implementation_list

        pk = draft.item_id if draft else (self.request.GET.get("item") or self.request.POST.get("item"))
        if not pk or not str(pk).isdigit():
            return None
        return implementation_list(user=self.request.user).filter(pk=pk, status="published").first()

    def get_context_data(self, **kwargs):
        draft = kwargs.pop("draft", None) or self._draft()
        item = self._item(draft)
        if draft is not None and "situation" not in self.request.GET:
            chosen = draft.situations
        else:
            chosen = [int(s) for s in self.request.GET.getlist("situation") if s.isdigit()]
        checklist = ow.materials_checklist(item, chosen) if item else []
        initial, copied = {}, None
        if draft is not None:
            initial = {"applicant_name": draft.applicant_name, "applicant_id_number": draft.applicant_id_number,
                       "applicant_mobile": draft.applicant_mobile,
                       "internal_review_opinion": draft.internal_review_opinion}
        id_number = (self.request.GET.get("applicant") or self.request.POST.get("applicant_id_number")
                     or initial.get("applicant_id_number", "")).strip().upper()
        if item is not None and self.request.GET.get("copy"):
            copied = self._copy(item, id_number, chosen, initial)
            if copied is not None and "situation" not in self.request.GET:
                chosen = list(copied.situations)
                checklist = ow.materials_checklist(item, chosen)
        sensed = None
        if draft is None and copied is None and self.request.GET.get("applicant") and self.request.method == "GET":
            from apps.acceptance.services.sensing import sense_applicant  # ACC-7.10

            sensed = sense_applicant(user=self.request.user, id_number=id_number)
            initial.update({k: v for k, v in (sensed or {}).items() if k in cf.ApplicantForm.base_fields})
        kwargs.setdefault("form", cf.ApplicantForm(initial=initial))
        kwargs.setdefault("sensed", sensed)
        assist = (assist_services.intake_assist(user=self.request.user, item=item, checklist=checklist,
                                                id_number=id_number) if item else {})
        return super().get_context_data(item=item, situations=item.situations.all() if item else [],
                                        chosen=chosen, checklist=checklist, draft=draft, copied=copied,
                                        assist=assist, received=set(draft.received) if draft else set(), **kwargs)

    def _copy(self, item, id_number, chosen, initial):
        """历史办件复制 (ACC-7.11): re-fill the applicant and situations from an earlier case of the item."""
        try:
            source = assist_services.copy_source(user=self.request.user, item=item, id_number=id_number,
                                                 case_pk=self.request.GET["copy"])
        except ValidationError as exc:
            messages.error(self.request, "；".join(exc.messages))
            return None
        initial.update(applicant_name=source.applicant_name, applicant_id_number=source.applicant_id_number,
                       applicant_mobile=source.applicant_mobile)
        return source

    def post(self, request):
        draft = self._draft()
        item = self._item(draft)
        if item is None:
            raise Http404
        situations = [s for s in request.POST.getlist("situation") if s.isdigit()]
        if "save_draft" in request.POST:
            draft = drafts.draft_save(actor=request.user, item=item, draft=draft, situations=situations,
                                      received=request.POST.getlist("received"),
                                      **{k: request.POST.get(k, "") for k in cf.ApplicantForm.base_fields})
            messages.success(request, _("已保存到草稿箱。"))
            return redirect("acceptance:draft-list")
        form = cf.ApplicantForm(request.POST)
        if form.is_valid():
            try:
                files = {k[5:]: v for k, v in request.FILES.items() if k.startswith("file_")}
                reuse = {k[6:]: v for k, v in request.POST.items() if k.startswith("reuse_") and v}
                licences = {k[8:]: v for k, v in request.POST.items() if k.startswith("licence_") and v}
                case = ow.case_window_intake(item=item, actor=request.user, situation_ids=situations,
                                             received=set(request.POST.getlist("received")), files=files,
                                             reuse=reuse, licences=licences, together=request.POST.getlist("together"),
                                             copy_from=request.POST.get("copy_from") or None, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                if draft is not None:
                    drafts.draft_discard(draft=draft, actor=request.user)
                messages.success(request, _("已收件，办件编号 %(n)s。") % {"n": case.case_number})
                return redirect(case.get_absolute_url())
        request.GET = request.GET.copy()
        request.GET.setlist("situation", situations)
        return self.render_to_response(self.get_context_data(form=form, draft=draft))


class DraftListView(StaffPermissionMixin, TemplateView):
    """草稿箱 (ACC-7.19): my unfinished intakes, searchable by item or applicant; continue or delete."""

    permission_required = "acceptance.change_case"
    template_name = "acceptance/draft_list.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")
        return super().get_context_data(drafts=drafts.draft_list(user=self.request.user, query=query)[:200],
                                        query=query, **kwargs)

    def post(self, request):
        draft = drafts.access_draft(request.user, request.POST.get("draft", ""))
        drafts.draft_discard(draft=draft, actor=request.user)
        messages.success(request, _("草稿已删除。"))
        return redirect("acceptance:draft-list")


ACTIONS = {  # action → (form class, allowed statuses)
    "pre_review": cf.PreReviewForm, "refuse": cf.RefuseForm, "supplement": cf.SupplementForm,
    "supplement_submit": cf.SupplementSubmitForm, "issue": cf.IssueForm, "accept": None,
    "bag_open": None, "bag_handover": cf.BagHandoverForm, "classify": cf.ClassifyForm,
    "sign_for": cf.SignForForm, "track": cf.TrackForm,
}


class CaseDetailView(StaffPermissionMixin, TemplateView):
    """办件详情 (ACC-7.17): applicant, materials, supplements, documents, exchange log, timeline, actions."""

    permission_required = "acceptance.view_case"
    template_name = "acceptance/case_detail.html"

    def get_context_data(self, **kwargs):
        case = selectors.access_case(self.request.user, self.kwargs["pk"])
        can_handle = self.request.user.has_perm("acceptance.change_case")
        forms_ = {name: kwargs.pop(f"{name}_form", None) or (form() if form else None)
                  for name, form in ACTIONS.items()}
        return super().get_context_data(case=case, can_handle=can_handle, forms=forms_,
                                        document_kinds=DocumentKind, **selectors.case_children(case), **kwargs)

    def post(self, request, pk):
        case = selectors.access_case(request.user, pk)
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise Http404
        form = ACTIONS[action](request.POST, request.FILES) if ACTIONS[action] else None
        if form is not None and not form.is_valid():
            return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))
        try:
            self._perform(action, case, form.cleaned_data if form else {})
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
            if form is not None:
                return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))
        else:
            messages.success(request, _("已办理。"))
        return redirect(case.get_absolute_url())

    def _perform(self, action: str, case: Case, data: dict) -> None:
        user = self.request.user
        if action == "pre_review":
            ow.case_pre_review(case=case, actor=user, **data)
        elif action == "accept":
            case_accept(case=case, actor=user)
        elif action == "refuse":
            ow.case_refuse(case=case, actor=user, reason=data["reason"])
        elif action == "supplement":
            ow.case_supplement_request(case=case, actor=user, **data)
        elif action == "supplement_submit":
            supplement = case.supplements.filter(status=SupplementStatus.PENDING).first()
            if supplement is None:
                raise ValidationError(_("没有待补正的事项。"))
            files = {data["file"].name: data["file"]} if data.get("file") else {}
            ow.supplement_submit(supplement=supplement, actor=user, files=files, note=data.get("note", ""))
        elif action == "issue":
            case_issue(case=case, actor=user, **data)
        elif action == "sign_for":
            result_sign_for(case=case, actor=user, **data)
        elif action == "track":
            delivery = getattr(case, "delivery", None)
            if delivery is None:
                raise ValidationError(_("该办件尚未出件。"))
            delivery_track(delivery=delivery, actor=user, **data)
        elif action == "classify":
            case_classify(case=case, actor=user, classification=data["classification"])
        elif action == "bag_open":
            archive_bag_open(case=case, actor=user)
        elif action == "bag_handover":
            bag = getattr(case, "archive_bag", None)
            if bag is None:
                raise ValidationError(_("该办件尚未封装档案袋。"))
            bag_handover(bag=bag, actor=user, **data)


class CaseDocumentView(StaffPermissionMixin, TemplateView):
    """文书打印 (ACC-7.16): the PDF of one document of the case, with a QR code to its progress page."""

    permission_required = "acceptance.view_case"

    def get(self, request, pk, kind):
        case = selectors.access_case(request.user, pk)
        document = case.documents.filter(kind=kind).first()
        if document is None:
            raise Http404
        document.case = case
        pdf = render_pdf(document, document_qr_codes(document, request.build_absolute_uri))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{case.case_number}-{kind}.pdf"'
        return response


class HandoverListView(StaffPermissionMixin, TemplateView):
    """材料交接清单 (ACC-7.18): PDF with the bag's materials, every hand-over and the 2-D code."""

    permission_required = "acceptance.view_case"

    def get(self, request, pk):
        case = selectors.access_case(request.user, pk)
        bag = getattr(case, "archive_bag", None)
        if bag is None:
            raise Http404
        pdf = render_handover_pdf(bag, request.build_absolute_uri)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{bag.bag_number}.pdf"'
        return response
