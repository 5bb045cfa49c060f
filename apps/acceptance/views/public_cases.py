"""Public pages of one-window acceptance: online application with its checklist (ACC-0.9, 6.1) and the
progress page every printed QR code opens (ACC-7.14, 7.16)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.acceptance import forms_cases as cf
from apps.acceptance.documents import case_from_token, progress_path
from apps.acceptance.services import onewindow as ow
from apps.acceptance.services.channels import channel_of
from apps.acceptance.services.form_apply import application_answers
from apps.acceptance.views.channels import ChannelVisitMixin
from apps.acceptance.views.form_render import application_form_context
from apps.core.workflow import timeline_for


def _public_item(pk):
    from apps.matters.models import ImplementationItem

    item = ImplementationItem.objects.filter(pk=pk, status="published").select_related("handling_department").first()
    if item is None:
        raise Http404
    return item


class ApplyView(LoginRequiredMixin, ChannelVisitMixin, TemplateView):
    """网上申报: the item's materials checklist for the ticked situations, files per material."""

    template_name = "acceptance/public/apply.html"
    visit_function = "apply"

    def _proxy(self, item):
        """授权代办 (ACC-0.8): the agent's proxy handling named by ?proxy= (or the form's proxy field)."""
        number = self.request.POST.get("proxy") or self.request.GET.get("proxy") or ""
        if not number:
            return None, ""
        from apps.acceptance.services.proxy import proxy_for_apply

        try:
            return proxy_for_apply(number=number, agent=self.request.user, item=item), ""
        except PermissionDenied as exc:
            return None, str(exc)

    def get_context_data(self, **kwargs):
        from apps.acceptance.services.proxy import principal_applicant

        item = _public_item(self.kwargs["pk"])
        chosen = [s for s in self.request.GET.getlist("situation") if s.isdigit()]
        user = self.request.user
        proxy, proxy_error = self._proxy(item)
        initial = principal_applicant(proxy) if proxy else {
            "applicant_name": getattr(user, "full_name", ""), "applicant_id_number": getattr(user, "id_number", ""),
            "applicant_mobile": getattr(user, "mobile_number", "")}
        form = kwargs.setdefault("form", cf.ApplicantForm(initial=initial))
        if proxy:
            for name in ("applicant_name", "applicant_id_number"):
                form.fields[name].widget.attrs["readonly"] = True
        kwargs.setdefault("application_form", application_form_context(item, user))
        return super().get_context_data(item=item, situations=item.situations.all(), chosen=[int(c) for c in chosen],
                                        checklist=ow.materials_checklist(item, chosen), proxy=proxy,
                                        proxy_error=proxy_error, **kwargs)

    def post(self, request, pk):
        item = _public_item(pk)
        form = cf.ApplicantForm(request.POST)
        situations = [s for s in request.POST.getlist("situation") if s.isdigit()]
        proxy_number = request.POST.get("proxy", "")
        try:                        # 表单 (ACC-16.8): the bound form's answers, checked field by field
            entries, overrides = application_answers(item=item, data=request.POST, user=request.user,
                                                     proxy=bool(proxy_number))
            answer_errors = {}
        except ValidationError as exc:
            entries, overrides, answer_errors = {}, {}, exc.message_dict
        if form.is_valid() and not answer_errors:
            try:
                case = ow.case_apply_online(item=item, actor=request.user, situation_ids=situations,
                                            files={k[5:]: v for k, v in request.FILES.items() if k.startswith("file_")},
                                            form_data={"remark": request.POST.get("remark", "")[:500], **entries},
                                            proxy_number=proxy_number,
                                            channel=channel_of(request), **{**form.cleaned_data, **overrides})
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, getattr(exc, "messages", [str(exc)]))
            else:
                messages.success(request, _("申报已提交，办件编号 %(n)s，请等待预审。") % {"n": case.case_number})
                return redirect(progress_path(case))
        if answer_errors:
            form.add_error(None, _("申请表填写有误，请按提示修改。"))
        request.GET = request.GET.copy()
        request.GET.setlist("situation", situations)
        return self.render_to_response(self.get_context_data(
            form=form, application_form=application_form_context(item, request.user, request.POST, answer_errors)))


class ProgressView(TemplateView):
    """办理进度: reached from the QR code on every document; shows states only, no personal data."""

    template_name = "acceptance/public/progress.html"

    def get_context_data(self, **kwargs):
        case = case_from_token(self.kwargs["token"])
        if case is None:
            raise Http404
        transitions = timeline_for(case)
        for t in transitions:  # the public page does not name staff
            t.actor_name = ""
        return super().get_context_data(case=case, transitions=transitions,
                                        supplement=case.supplements.filter(status="pending").first(), **kwargs)
