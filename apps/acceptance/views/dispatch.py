"""System integration centre pages (ACC-11.x – 13.x) and case-code pages (ACC-17.x)."""
from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.acceptance import forms_cases as cf
from apps.acceptance.models import CaseCode, CaseCodeCall, CaseCodeReconciliation, CaseCodeStatus, ClientSystem, Route
from apps.acceptance.models import RouteStatus
from apps.acceptance.services import codes as code_services
from apps.acceptance.services import dispatch as ds
from apps.acceptance.views.portal import qr_png
from apps.core.exports import ExportColumn
from apps.core.scope import restrict
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin


def _errors(request, exc) -> None:
    messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))


class ClientListView(StaffPermissionMixin, TemplateView):
    """应用与路由: client systems with their routes and actions (ACC-11.1 – 12.5)."""

    permission_required = "acceptance.view_clientsystem"
    template_name = "acceptance/clients.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        clients = restrict(ClientSystem.objects.select_related("organisation", "region"), user)
        routes = restrict(Route.objects.select_related("client").exclude(status=RouteStatus.REVOKED), user)
        query = self.request.GET.get("route_name", "").strip()
        if query:
            routes = routes.filter(name__icontains=query)
        return super().get_context_data(clients=clients, routes=routes, client_form=cf.ClientForm(),
                                        route_form=cf.RouteForm(), token=kwargs.pop("token", None), **kwargs)

    def post(self, request):
        action, user = request.POST.get("action", ""), request.user
        token = None
        try:
            if action == "register":
                form = cf.ClientForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([f"{k}: {v[0]}" for k, v in form.errors.items()])
                ds.client_register(actor=user, organisation=user.organisation, **form.cleaned_data)
            elif action in ("approve", "reject", "disable", "cancel"):
                client = restrict(ClientSystem.objects.all(), user).filter(pk=request.POST.get("client")).first()
                if client is None:
                    raise Http404
                if action in ("approve", "reject"):
                    token = ds.client_review(actor=user, client=client, approve=action == "approve",
                                             reason=request.POST.get("reason", ""))
                else:
                    ds.client_end(actor=user, client=client, cancel=action == "cancel")
            elif action == "route_create":
                client = restrict(ClientSystem.objects.all(), user).filter(pk=request.POST.get("client")).first()
                form = cf.RouteForm(request.POST)
                if client is None or not form.is_valid():
                    raise ValidationError(_("请选择应用并完整填写路由信息。"))
                ds.route_create(actor=user, client=client, **form.cleaned_data)
            elif action.startswith("route_"):
                route = restrict(Route.objects.all(), user).filter(pk=request.POST.get("route")).first()
                if route is None:
                    raise ValidationError(_("路由不存在。"))
                step = action[len("route_"):]
                if step == "revoke":
                    ds.route_revoke(actor=user, route=route)
                elif step == "test":
                    ok = ds.route_test(actor=user, route=route)
                    messages.info(request, _("连通测试：%(r)s") % {"r": _("可达") if ok else _("不可达")})
                else:
                    ds.route_step(actor=user, route=route, action=step)
            elif action == "matter_route":
                self._matter_route(request)
            else:
                raise Http404
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
            return redirect("acceptance:client-list")
        if token:
            messages.warning(request, _("系统令牌（仅显示一次，请妥善保存）：%(t)s") % {"t": token})
        else:
            messages.success(request, _("已保存。"))
        return redirect("acceptance:client-list")

    def _matter_route(self, request):
        from apps.matters.selectors import implementation_list

        item = implementation_list(user=request.user).filter(pk=request.POST.get("item") or 0).first()
        if item is None:
            raise ValidationError(_("事项不存在或不在您的范围内。"))
        route_pk = request.POST.get("route_number", "").strip()
        route = Route.objects.filter(number=route_pk).first() if route_pk else None
        if route_pk and route is None:
            raise ValidationError(_("路由 %(n)s 不存在。") % {"n": route_pk})
        ds.matter_route_set(actor=request.user, item=item, route=route)


class CodeFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter(label=gettext_lazy("办件码"), lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=CaseCodeStatus.choices)
    year = django_filters.NumberFilter(label=gettext_lazy("年度"))
    manual = django_filters.BooleanFilter(label=gettext_lazy("手动赋码"))

    class Meta:
        model = CaseCode
        fields = ["code", "status", "year", "manual"]


class CodeListView(ScopedListView):
    """办件码管理 and the revoked-code list with Excel export (ACC-17.2, 17.4, 17.7)."""

    model = CaseCode
    filterset_class = CodeFilterSet
    permission_required = "acceptance.view_casecode"
    title = gettext_lazy("办件码")
    template_name = "acceptance/codes.html"
    columns = [ExportColumn(gettext_lazy("办件码"), "code"), ExportColumn(gettext_lazy("事项"), "item.name"),
               ExportColumn(gettext_lazy("年度"), "year"), ExportColumn(gettext_lazy("流水号"), "serial"),
               ExportColumn(gettext_lazy("状态"), "get_status_display"), ExportColumn(gettext_lazy("手动"), "manual"),
               ExportColumn(gettext_lazy("撤消原因"), "revoke_reason"), ExportColumn(gettext_lazy("赋码时间"), "issued_at")]

    def get_base_queryset(self):
        return CaseCode.objects.select_related("item")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            calls=CaseCodeCall.objects.select_related("client", "actor")[:20],
            runs=CaseCodeReconciliation.objects.filter(run_by=self.request.user)[:3], **kwargs)

    def post(self, request):
        from apps.matters.selectors import implementation_list

        action, user = request.POST.get("action"), request.user
        try:
            if action == "revoke":
                code = restrict(CaseCode.objects.all(), user).filter(code=request.POST.get("code", "")).first()
                if code is None:
                    raise ValidationError(_("办件码不存在。"))
                code_services.case_code_revoke(code=code, actor=user, reason=request.POST.get("reason", ""))
            elif action == "manual":
                item = implementation_list(user=user).filter(pk=request.POST.get("item") or 0).first()
                if item is None:
                    raise ValidationError(_("事项不存在或不在您的范围内。"))
                code = code_services.case_code_issue_manual(item=item, actor=user, detail={
                    "applicant_name": request.POST.get("applicant_name", ""),
                    "handling_unit": request.POST.get("handling_unit", "")})
                messages.success(request, _("已手动赋码：%(c)s") % {"c": code.code})
                return redirect(reverse("acceptance:code-list") + f"?code={code.code}")
            elif action == "reconcile":
                region = user.organisation.region if user.organisation_id else None
                if region is None:
                    raise PermissionDenied(_("您的账号没有所属区划。"))
                code_services.case_code_reconcile(region=region, actor=user)
            else:
                raise Http404
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已办理。"))
        return redirect("acceptance:code-list")


class CodeQrView(TemplateView):
    """图形办件码: a QR of the verification URL (public: the code is printed on results)."""

    def get(self, request, code):
        if not CaseCode.objects.filter(code=code).exists():
            raise Http404
        return qr_png(request.build_absolute_uri(reverse("acceptance-case-code-verify")) + f"?code={code}")
