"""办理咨询 pages (ACC-8.x): the public knowledge base and robot of a hall, and the portal's consultation
register, query and answer."""
from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.acceptance import selectors
from apps.acceptance.models import Consultation, ConsultChannel, ConsultStatus
from apps.acceptance.services import consult as svc
from apps.acceptance.views.channels import ChannelVisitMixin
from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


class KnowledgePublicView(ChannelVisitMixin, TemplateView):
    """A hall's consultation page: knowledge search (full text, pinyin initials, publish time, popularity),
    hot words, popular entries and the robot; an unanswered question goes to the hall's staff."""

    template_name = "acceptance/public/consult.html"
    visit_function = "consult"

    def get_context_data(self, **kwargs):
        hall = selectors.public_hall(self.kwargs["pk"])
        get = self.request.GET
        query, order = get.get("q", ""), ("hot" if get.get("order") == "hot" else "recent")
        first, last = _date(get.get("from")), _date(get.get("to"))
        searched = bool(query.strip() or first or last)
        results = list(svc.knowledge_query(query=query, published_from=first, published_to=last, order=order)[:20]) \
            if searched else []
        return super().get_context_data(hall=hall, query=query, order=order, first=first, last=last,
                                        searched=searched, results=results, hot_words=svc.hot_words(),
                                        popular=list(svc.popular_entries()), **kwargs)

    def post(self, request, pk):
        hall = selectors.public_hall(pk)
        try:
            answers, pending = svc.robot_ask(question=request.POST.get("question", ""), organisation=hall.organisation,
                                             consultant_name=request.POST.get("name", ""),
                                             consultant_mobile=request.POST.get("mobile", ""), actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("acceptance-public:consult", pk)
        context = self.get_context_data(pk=pk, robot_question=request.POST.get("question", ""),
                                        robot_answers=answers, robot_pending=pending)
        return self.render_to_response(context)


class KnowledgeEntryPublicView(TemplateView):
    template_name = "acceptance/public/knowledge_entry.html"

    def get_context_data(self, **kwargs):
        hall = selectors.public_hall(self.kwargs["pk"])
        kwargs.pop("entry", None)                             # the URL's id; the context gets the object
        entry = get_object_or_404(svc.knowledge_entries().select_related("department"), pk=self.kwargs["entry"])
        svc.knowledge_open(entry)
        return super().get_context_data(hall=hall, entry=entry, **kwargs)


class ConsultationFilterSet(django_filters.FilterSet):
    consultant_name = django_filters.CharFilter(label=gettext_lazy("咨询人"), lookup_expr="icontains")
    business = django_filters.CharFilter(label=gettext_lazy("咨询业务"), lookup_expr="icontains")
    channel = django_filters.ChoiceFilter(label=gettext_lazy("咨询渠道"), choices=ConsultChannel.choices)
    status = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=ConsultStatus.choices)
    created_from = django_filters.DateFilter(label=gettext_lazy("咨询日期从"), field_name="created_at",
                                             lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"}))
    created_to = django_filters.DateFilter(label=gettext_lazy("至"), field_name="created_at", lookup_expr="date__lte",
                                           widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Consultation
        fields = ["consultant_name", "business", "channel", "status", "created_from", "created_to"]


class ConsultationForm(forms.Form):
    consultant_name = forms.CharField(label=gettext_lazy("咨询人"), max_length=64)
    consultant_mobile = forms.CharField(label=gettext_lazy("联系电话"), max_length=20, required=False)
    channel = forms.ChoiceField(label=gettext_lazy("咨询渠道"), choices=ConsultChannel.choices[:3])
    business = forms.CharField(label=gettext_lazy("咨询业务"), max_length=200)
    question = forms.CharField(label=gettext_lazy("咨询问题"), widget=forms.Textarea(attrs={"rows": 3}))
    result = forms.CharField(label=gettext_lazy("处理结果"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ConsultationListView(ScopedListView):
    """咨询业务查询 (8.4) with the registration form (8.3) above the list."""

    model = Consultation
    filterset_class = ConsultationFilterSet
    permission_required = "acceptance.view_consultation"
    title = gettext_lazy("咨询登记")
    template_name = "acceptance/consultations.html"
    columns = [ExportColumn(gettext_lazy("咨询时间"), "created_at"), ExportColumn(gettext_lazy("咨询人"), "consultant_name"),
               ExportColumn(gettext_lazy("联系电话"), "masked_mobile"),
               ExportColumn(gettext_lazy("咨询渠道"), "get_channel_display"),
               ExportColumn(gettext_lazy("咨询业务"), "business"), ExportColumn(gettext_lazy("咨询问题"), "question", 40),
               ExportColumn(gettext_lazy("处理结果"), "result", 40), ExportColumn(gettext_lazy("状态"), "get_status_display")]

    def get_base_queryset(self):
        return Consultation.objects.select_related("organisation")

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or ConsultationForm()
        return super().get_context_data(form=form, can_add=self.request.user.has_perm("acceptance.add_consultation"),
                                        **kwargs)

    def post(self, request):
        form = ConsultationForm(request.POST)
        if form.is_valid():
            try:
                svc.consultation_register(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("咨询已登记。"))
                return redirect("acceptance:consultation-list")
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form, filter=None))


class ConsultationAnswerView(StaffPermissionMixin, TemplateView):
    """Answer a pending consultation (a robot question, a phone call); optionally into the knowledge base."""

    permission_required = "acceptance.change_consultation"
    template_name = "acceptance/consultation_answer.html"

    def _consultation(self):
        return get_object_or_404(Consultation.objects.restrict(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(consultation=self._consultation(), **kwargs)

    def post(self, request, pk):
        try:
            svc.consultation_answer(actor=request.user, consultation=self._consultation(),
                                    result=request.POST.get("result", ""),
                                    add_to_knowledge=request.POST.get("add_to_knowledge") == "on")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
            return redirect("acceptance:consultation-answer", pk)
        messages.success(request, _("已答复。"))
        return redirect("acceptance:consultation-list")


