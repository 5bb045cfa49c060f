"""Portal pages of the appointment engine: plans and slots, calendar labels, matter groups,
blacklist, check-in QR codes (ACC-3.x, 5.3 – 5.10)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.acceptance import forms, selectors
from apps.acceptance.models import (
    BlacklistRule, BookableMatter, CalendarLabel, HallCheckInQr, MatterGroup, Slot,
)
from apps.acceptance.services.booking import blacklist_revoke
from apps.acceptance.services.calendar import calendar_label_apply, slot_create, slots_generate
from apps.acceptance.services.halls import check_in_qr_create, matter_group_create, slot_plan_save
from apps.acceptance.views.portal import add_form_errors, qr_png
from apps.core.scope import restrict
from apps.core.services.audit import audit_record
from apps.core.views.mixins import StaffPermissionMixin

MANAGE = "acceptance.manage_appointments"


class _ManageView(StaffPermissionMixin, TemplateView):
    permission_required = MANAGE
    forms_by_action: dict = {}

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        form_class = self.forms_by_action.get(action)
        if form_class is None:
            return redirect(request.path)
        form = form_class(request.POST, **self.form_kwargs(action))
        if form.is_valid():
            try:
                self.perform(action, form)
                return redirect(request.path)
            except ValidationError as exc:
                add_form_errors(form, exc)
        return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))

    def form_kwargs(self, action):
        return {}


class BookableMatterView(_ManageView):
    """Plans, regular slot generation, irregular and extended-service slots of one bookable matter."""

    template_name = "acceptance/bookable_matter.html"
    forms_by_action = {"plan": forms.SlotPlanForm, "generate": forms.GenerateForm, "slot": forms.SlotForm}

    def get_matter(self) -> BookableMatter:
        queryset = restrict(BookableMatter.objects.select_related("hall", "matter"), self.request.user)
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def perform(self, action, form):
        matter, data, actor = self.get_matter(), form.cleaned_data, self.request.user
        if action == "plan":
            slot_plan_save(bookable_matter=matter, kind=data["kind"], periods=data["periods"], actor=actor)
            messages.success(self.request, _("放号方案已保存。"))
        elif action == "generate":
            n = slots_generate(bookable_matter=matter, first=data["first"], last=data["last"], actor=actor)
            messages.success(self.request, _("已生成 %(n)s 个号源。") % {"n": n})
        else:
            slot_create(bookable_matter=matter, day=data["day"], period_start=data["period_start"],
                        period_end=data["period_end"], capacity=data["capacity"], kind=data["kind"], actor=actor)
            messages.success(self.request, _("号源已发布。"))

    def get_context_data(self, **kwargs):
        matter = self.get_matter()
        today = timezone.localdate()
        kwargs.setdefault("plan_form", forms.SlotPlanForm())
        kwargs.setdefault("generate_form", forms.GenerateForm(initial={"first": today}))
        kwargs.setdefault("slot_form", forms.SlotForm())
        slots = Slot.objects.filter(bookable_matter=matter, date__gte=today).order_by("date", "period_start")[:200]
        return super().get_context_data(matter=matter, plans=matter.plans.all(), slots=slots, **kwargs)


class CalendarLabelView(_ManageView):
    template_name = "acceptance/labels.html"
    forms_by_action = {"create": forms.CalendarLabelForm, "apply": forms.LabelApplyForm}

    def perform(self, action, form):
        actor = self.request.user
        if action == "create":
            label = form.save(commit=False)
            if label.hall and not selectors.hall_list(user=actor).filter(pk=label.hall_id).exists():
                raise PermissionDenied
            label.save()
            audit_record(actor=actor, action="create", obj=label)
            messages.success(self.request, _("标签已新增。"))
        else:
            label = get_object_or_404(CalendarLabel, pk=self.request.POST.get("label"))
            n = calendar_label_apply(label=label, dates=form.cleaned_data["dates"], actor=actor)
            messages.success(self.request, _("已为 %(n)s 个日期设置标签“%(label)s”。") % {"n": n, "label": label})

    def get_context_data(self, **kwargs):
        kwargs.setdefault("create_form", forms.CalendarLabelForm())
        kwargs.setdefault("apply_form", forms.LabelApplyForm())
        labels = CalendarLabel.objects.select_related("hall").prefetch_related("dates")
        return super().get_context_data(labels=labels, **kwargs)


class MatterGroupView(_ManageView):
    template_name = "acceptance/groups.html"
    forms_by_action = {"create": forms.MatterGroupForm}

    def form_kwargs(self, action):
        return {"hall": selectors.access_hall(self.request.user, self.kwargs["hall"]), "user": self.request.user}

    def perform(self, action, form):
        hall = selectors.access_hall(self.request.user, self.kwargs["hall"])
        matter_group_create(hall=hall, name=form.cleaned_data["name"], members=form.cleaned_data["members"],
                            quotas=form.cleaned_data["quotas"], actor=self.request.user)
        messages.success(self.request, _("事项组已新增。"))

    def get_context_data(self, **kwargs):
        hall = selectors.access_hall(self.request.user, self.kwargs["hall"])
        kwargs.pop("hall", None)
        kwargs.setdefault("create_form", forms.MatterGroupForm(hall=hall, user=self.request.user))
        groups = MatterGroup.objects.filter(hall=hall).prefetch_related("members__matter", "quotas")
        return super().get_context_data(hall=hall, groups=groups, **kwargs)


class BlacklistView(_ManageView):
    template_name = "acceptance/blacklist.html"
    forms_by_action = {"revoke": forms.RevokeForm, "rule": forms.BlacklistRuleForm}

    def perform(self, action, form):
        if action == "revoke":
            entry = get_object_or_404(selectors.blacklist_list(user=self.request.user), pk=self.request.POST["entry"])
            blacklist_revoke(entry=entry, actor=self.request.user, reason=form.cleaned_data["reason"])
            messages.success(self.request, _("已撤销黑名单。"))
        else:
            rule = form.save()
            audit_record(actor=self.request.user, action="create", obj=rule)
            messages.success(self.request, _("黑名单规则已新增。"))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("revoke_form", forms.RevokeForm())
        kwargs.setdefault("rule_form", forms.BlacklistRuleForm())
        entries = selectors.blacklist_list(user=self.request.user)[:200]
        return super().get_context_data(entries=entries, rules=BlacklistRule.objects.all(), **kwargs)


class CheckInQrView(_ManageView):
    template_name = "acceptance/check_in_qrs.html"
    forms_by_action = {"create": forms.CheckInQrForm}

    def perform(self, action, form):
        hall = selectors.access_hall(self.request.user, self.kwargs["hall"])
        check_in_qr_create(hall=hall, validity=form.cleaned_data["validity"],
                           expires_at=form.cleaned_data.get("expires_at"), actor=self.request.user)
        messages.success(self.request, _("预约核验二维码已生成。"))

    def get_context_data(self, **kwargs):
        hall = selectors.access_hall(self.request.user, self.kwargs["hall"])
        kwargs.pop("hall", None)
        kwargs.setdefault("create_form", forms.CheckInQrForm())
        return super().get_context_data(hall=hall, qrs=HallCheckInQr.objects.filter(hall=hall),
                                        now=timezone.now(), **kwargs)


class CheckInQrImageView(StaffPermissionMixin, TemplateView):
    permission_required = "acceptance.view_hallcheckinqr"

    def get(self, request, *args, **kwargs):
        qr = get_object_or_404(restrict(HallCheckInQr.objects.all(), request.user), pk=kwargs["pk"])
        return qr_png(request.build_absolute_uri(reverse("acceptance-public:check-in", args=[qr.token])))



class StatisticsView(StaffPermissionMixin, TemplateView):
    """ACC-2.x: indicators by region, hall and department; trend by day or month; linkage; ECharts."""

    permission_required = "acceptance.view_appointment"
    template_name = "acceptance/statistics.html"

    def get_context_data(self, **kwargs):
        from datetime import date, timedelta

        from apps.acceptance import stats

        today = timezone.localdate()
        try:
            first = date.fromisoformat(self.request.GET.get("first", ""))
            last = date.fromisoformat(self.request.GET.get("last", ""))
        except ValueError:
            first, last = today - timedelta(days=30), today + timedelta(days=14)
        unit = "month" if self.request.GET.get("unit") == "month" else "day"
        chart = "bar" if self.request.GET.get("chart") == "bar" else "line"
        user = self.request.user
        data = {"by_region": stats.indicators(user=user, first=first, last=last, by="region"),
                "by_hall": stats.indicators(user=user, first=first, last=last, by="hall"),
                "by_department": stats.indicators(user=user, first=first, last=last, by="department"),
                "trend": stats.trend(user=user, first=first, last=last, unit=unit),
                "hall_daily": stats.hall_daily(user=user, first=first, last=last),
                "by_item": stats.indicators(user=user, first=first, last=last, by="item"),
                "hotspots": stats.hotspots(user=user, first=first, last=last,
                                           matter=self.request.GET.get("matter", "").strip()),
                "linkage": stats.linkage(user=user, first=first, last=last), "chart": chart}
        return super().get_context_data(first=first, last=last, unit=unit, chart=chart, stats=data, **kwargs)
