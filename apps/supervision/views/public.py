"""Public pages: file a provincial complaint, my complaints, look one up by number and query code."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from apps.core.workflow import timeline_for
from apps.supervision.forms import (
    InvestmentComplaintForm,
    PublicComplaintForm,
    PublicLookupForm,
)
from apps.supervision.models import Complaint
from apps.supervision.selectors import public_lookup
from apps.supervision.services.complaints import complaint_file


class PublicComplaintCreateView(LoginRequiredMixin, FormView):
    form_class = PublicComplaintForm
    template_name = "supervision/public/complaint_form.html"
    login_url = "public:login"

    source = "provincial"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["investment"] = self.source == "investment_express"
        return context

    def form_valid(self, form):
        try:
            complaint = complaint_file(data=form.service_data(), complainant=self.request.user, source=self.source)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("提交成功。办件编号 %(n)s，查询码 %(c)s，请妥善保存。") % {
            "n": complaint.case_number, "c": complaint.query_code})
        return redirect("supervision-public:mine")


class MyComplaintsView(LoginRequiredMixin, TemplateView):
    template_name = "supervision/public/mine.html"
    login_url = "public:login"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["complaints"] = Complaint.objects.restrict(self.request.user).select_related("region")[:100]
        return context


class PublicLookupView(TemplateView):
    template_name = "supervision/public/lookup.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PublicLookupForm(self.request.GET or None)
        complaint = None
        if form.is_valid():
            complaint = public_lookup(**form.cleaned_data)
            if complaint is None:
                form.add_error(None, _("未找到对应的投诉，请核对办件编号和查询码。"))
        context.update(form=form, complaint=complaint,
                       transitions=timeline_for(complaint) if complaint else [])
        return context


class InvestmentComplaintCreateView(PublicComplaintCreateView):
    form_class = InvestmentComplaintForm
    source = "investment_express"
