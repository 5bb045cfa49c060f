"""Portal pages: organisation view (PORTAL-8.2) and organisation change requests (PORTAL-8.3)."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from apps.core.exports import ExportColumn
from apps.core.filters.org_changes import OrganisationChangeRequestFilterSet
from apps.core.filters.organisations import OrganisationFilterSet
from apps.core.models import ChangeKind, Organisation, OrganisationKind, OrganisationSubscriber, Region
from apps.core.models.outbox import OutboxMessage
from apps.core.selectors import organisations as selectors
from apps.core.services import org_changes as changes
from apps.core.services.organisations import organisation_create, organisation_update
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin, StaffRequiredMixin
from apps.core.views.regions import ExportHeadersMixin, RegionTreeMixin, _add_errors
from apps.core.workflow import timeline_for


class OrganisationListView(ExportHeadersMixin, RegionTreeMixin, ScopedListView):
    """Selecting a region in the left tree lists that region's organisations on the right."""

    model = Organisation
    filterset_class = OrganisationFilterSet
    permission_required = "core.view_organisation"
    template_name = "core/organisations/list.html"
    tree_param = "region"
    title = _("机构信息")
    columns = [
        ExportColumn(_("机构名称"), "name"), ExportColumn(_("统一社会信用代码"), "credit_code"),
        ExportColumn(_("部门简称"), "short_name"), ExportColumn(_("区划名称"), "region.name"),
        ExportColumn(_("区划代码"), "region_id"), ExportColumn(_("上级区划代码"), "region.parent_id"),
    ]

    def get_queryset(self):
        return selectors.organisation_queryset(user=self.request.user)


class OrganisationDetailView(StaffPermissionMixin, TemplateView):
    permission_required = "core.view_organisation"
    template_name = "core/organisations/detail.html"

    def get_context_data(self, **kwargs):
        organisation = selectors.organisation_get(user=self.request.user, pk=kwargs["pk"])
        children = selectors.organisation_queryset(user=self.request.user).filter(parent=organisation)
        return super().get_context_data(organisation=organisation, children=children, **kwargs)


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("机构名称"), max_length=128)
    short_name = forms.CharField(label=_("部门简称"), max_length=64, required=False)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=24)
    region = forms.ModelChoiceField(label=_("所属区划"), queryset=Region.objects.all(), to_field_name="code",
                                    widget=forms.TextInput, help_text=_("12 位区划代码"))
    parent = forms.ModelChoiceField(label=_("上级机构ID"), queryset=Organisation.objects.all(), required=False,
                                    widget=forms.NumberInput)
    kind = forms.ChoiceField(label=_("机构类型"), choices=OrganisationKind.choices)
    is_enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)


class OrganisationFormView(StaffPermissionMixin, FormView):
    """Admins create or edit an organisation directly (through the same service as the API)."""

    form_class = OrganisationForm
    template_name = "core/organisations/form.html"
    permission_required = "core.add_organisation"
    instance = None

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            self.permission_required = "core.change_organisation"
            if request.user.is_authenticated:
                self.instance = selectors.organisation_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.instance is None:
            return {"is_enabled": True, "region": self.request.GET.get("region")}
        fields = ("name", "short_name", "credit_code", "region", "parent", "kind", "is_enabled")
        return {f: getattr(self.instance, f) for f in fields}

    def form_valid(self, form):
        try:
            if self.instance is None:
                organisation = organisation_create(actor=self.request.user, **form.cleaned_data)
            else:
                organisation = organisation_update(organisation=self.instance, actor=self.request.user,
                                                   **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("机构信息已保存。"))
        return redirect(organisation.get_absolute_url())

    def get_context_data(self, **kwargs):
        title = _("编辑机构") if self.instance else _("新增机构")
        return super().get_context_data(instance=self.instance, title=title, **kwargs)


# ------------------------------------------------------------------ change requests (PORTAL-8.3)

class ChangeRequestListView(ExportHeadersMixin, ScopedListView):
    model = changes.OrganisationChangeRequest
    filterset_class = OrganisationChangeRequestFilterSet
    template_name = "core/organisations/change_list.html"
    exportable = True
    columns = [
        ExportColumn(_("申请事项"), lambda r: str(r)), ExportColumn(_("申请单位"), "applicant_organisation.name"),
        ExportColumn(_("申请人"), lambda r: str(r.applicant)), ExportColumn(_("状态"), "get_status_display"),
        ExportColumn(_("提交时间"), "submitted_at"), ExportColumn(_("处理结果反馈"), "feedback"),
    ]


class MyChangeRequestsView(ChangeRequestListView):
    permission_required = "core.add_organisationchangerequest"
    title = _("我的机构变更申请")

    def get_queryset(self):
        return selectors.change_requests_mine(user=self.request.user)


class ReviewQueueView(ChangeRequestListView):
    permission_required = "core.review_organisationchangerequest"
    title = _("机构变更审核")

    def get_queryset(self):
        return selectors.change_requests_to_review(user=self.request.user)


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("申请类型"), choices=ChangeKind.choices)
    target = forms.ModelChoiceField(label=_("目标机构ID"), queryset=Organisation.objects.all(), required=False,
                                    widget=forms.NumberInput, help_text=_("修改或撤销时填写"))
    name = forms.CharField(label=_("机构名称"), max_length=128, required=False)
    short_name = forms.CharField(label=_("部门简称"), max_length=64, required=False)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=24, required=False)
    region_code = forms.CharField(label=_("所属区划代码"), max_length=12, required=False)
    parent_id = forms.IntegerField(label=_("上级机构ID"), required=False)
    org_kind = forms.ChoiceField(label=_("机构类型"), choices=OrganisationKind.choices, required=False)
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea, required=False)

    def proposal(self) -> dict:
        data = {f: self.cleaned_data.get(f) for f in ("name", "short_name", "credit_code", "region_code", "parent_id")}
        data["kind"] = self.cleaned_data.get("org_kind") or OrganisationKind.DEPARTMENT
        return data


class ChangeRequestCreateView(StaffPermissionMixin, FormView):
    form_class = ChangeRequestForm
    template_name = "core/organisations/change_form.html"
    permission_required = "core.add_organisationchangerequest"

    def get_initial(self):
        initial = {"kind": self.request.GET.get("kind", ChangeKind.ADD),
                   "region_code": self.request.user.organisation.region_id if self.request.user.organisation else ""}
        target_id = self.request.GET.get("target")
        if target_id and target_id.isdigit():
            target = selectors.organisation_queryset(user=self.request.user).filter(pk=target_id).first()
            if target:
                initial.update(target=target, **changes.snapshot(target), org_kind=target.kind)
        return initial

    def form_valid(self, form):
        try:
            request = changes.org_change_create(applicant=self.request.user, kind=form.cleaned_data["kind"],
                                                target=form.cleaned_data["target"], data=form.proposal(),
                                                reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("申请已提交，等待审核。"))
        return redirect(request.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("提交机构变更申请"), **kwargs)


class ChangeRequestEditView(ChangeRequestCreateView):
    """The applicant corrects a returned or rejected request and resubmits it."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = selectors.change_request_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        data = self.object.proposed_data
        return {"kind": self.object.kind, "target": self.object.target, "reason": self.object.reason,
                **{k: data.get(k) for k in ("name", "short_name", "credit_code", "region_code", "parent_id")},
                "org_kind": data.get("kind")}

    def form_valid(self, form):
        try:
            changes.org_change_update(request=self.object, actor=self.request.user, data=form.proposal(),
                                      reason=form.cleaned_data["reason"])
            changes.org_change_submit(request=self.object, actor=self.request.user)
        except (ValidationError, PermissionDenied) as exc:
            _add_errors(form, exc) if isinstance(exc, ValidationError) else form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("申请已修改并重新提交。"))
        return redirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_("修改并重新提交申请"), object=self.object)
        return context


class ChangeRequestDetailView(StaffRequiredMixin, TemplateView):
    """Proposed vs current data, problem data, feedback, push status and the timeline."""

    template_name = "core/organisations/change_detail.html"

    def get_context_data(self, **kwargs):
        request = selectors.change_request_get(user=self.request.user, pk=kwargs["pk"])
        user = self.request.user
        pushes = OutboxMessage.objects.filter(idempotency_key__startswith=f"org-change-{request.pk}-")
        names = dict(OrganisationSubscriber.objects.values_list("pk", "name"))
        for message in pushes:
            message.subscriber_name = names.get(int(message.peer.rsplit(":", 1)[-1]), message.peer)
        return super().get_context_data(
            object=request, diff=selectors.change_request_diff(request), transitions=timeline_for(request),
            pushes=pushes, can_review=request.status == "pending_review" and changes.can_review(user, request)
            and request.applicant_id != user.pk,
            can_edit=request.is_editable and request.applicant_organisation_id == user.organisation_id, **kwargs)


class ChangeRequestActionView(StaffRequiredMixin, View):
    """POST submit / approve / reject; each calls its service and returns to the detail page."""

    action = ""

    def post(self, request, pk):
        change = selectors.change_request_get(user=request.user, pk=pk)
        comment = request.POST.get("comment", "")
        try:
            if self.action == "submit":
                changes.org_change_submit(request=change, actor=request.user)
            elif self.action == "approve":
                change = changes.org_change_approve(request=change, reviewer=request.user, comment=comment)
            else:
                changes.org_change_reject(request=change, reviewer=request.user, reason=comment)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("您没有执行此操作的权限。"))
        else:
            messages.success(request, _("操作成功。"))
        return redirect(change.get_absolute_url())


urlpatterns = [
    path("organisations/", OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/new/", OrganisationFormView.as_view(), name="organisation-create"),
    path("organisations/<int:pk>/", OrganisationDetailView.as_view(), name="organisation-detail"),
    path("organisations/<int:pk>/edit/", OrganisationFormView.as_view(), name="organisation-update"),
    path("org-changes/", MyChangeRequestsView.as_view(), name="orgchange-mine"),
    path("org-changes/review/", ReviewQueueView.as_view(), name="orgchange-queue"),
    path("org-changes/new/", ChangeRequestCreateView.as_view(), name="orgchange-create"),
    path("org-changes/<int:pk>/", ChangeRequestDetailView.as_view(), name="orgchange-detail"),
    path("org-changes/<int:pk>/edit/", ChangeRequestEditView.as_view(), name="orgchange-edit"),
    path("org-changes/<int:pk>/submit/", ChangeRequestActionView.as_view(action="submit"), name="orgchange-submit"),
    path("org-changes/<int:pk>/approve/", ChangeRequestActionView.as_view(action="approve"), name="orgchange-approve"),
    path("org-changes/<int:pk>/reject/", ChangeRequestActionView.as_view(action="reject"), name="orgchange-reject"),
]
