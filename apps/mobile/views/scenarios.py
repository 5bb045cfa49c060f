"""AppScenario library pages (APP-2.6)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from apps.core.scope import restrict
from apps.core.views.mixins import StaffRequiredMixin
from apps.core.workflow import timeline_for
from apps.mobile.forms import ScenarioForm
from apps.mobile.models import AppScenario, ScenarioType
from apps.mobile.services import scenarios as svc
from apps.mobile.views.common import run_action, save_form


def _can_view(user) -> bool:
    return user.has_perm("mobile.develop_apps") or user.has_perm("mobile.administer_apps")


class ScenarioLibraryView(StaffRequiredMixin, View):
    """Scenarios by theme: admins see all in scope, developers their unit's and every published one."""

    def _scenarios(self, user):
        from django.db.models import Q

        qs = AppScenario.objects.select_related("scenario_type", "organisation")
        if user.has_perm("mobile.administer_apps"):
            return restrict(qs, user)
        return qs.filter(Q(is_published=True) | Q(organisation_id=user.organisation_id))

    def get(self, request, form=None):
        if not _can_view(request.user):
            raise PermissionDenied
        scenarios = self._scenarios(request.user)
        selected = request.GET.get("type", "")
        if selected.isdigit():
            scenarios = scenarios.filter(scenario_type_id=int(selected))
        return render(request, "mobile/scenarios.html", {
            "scenarios": scenarios, "types": ScenarioType.objects.all(), "selected": selected,
            "form": form or ScenarioForm(), "admin": request.user.has_perm("mobile.administer_apps"),
            "developer": request.user.has_perm("mobile.develop_apps")}, status=400 if form else 200)

    def post(self, request):
        user = request.user
        if "type_name" in request.POST:
            return run_action(request, lambda: svc.scenario_type_save(actor=user, name=request.POST["type_name"]),
                              success=_("场景类型已保存。"), back=reverse("mobile:scenarios"))
        if "delete_type" in request.POST:
            scenario_type = get_object_or_404(ScenarioType, pk=request.POST["delete_type"])
            return run_action(request, lambda: svc.scenario_type_delete(actor=user, scenario_type=scenario_type),
                              success=_("场景类型已删除。"), back=reverse("mobile:scenarios"))
        form = ScenarioForm(request.POST)
        scenario = save_form(form, lambda data: svc.scenario_create(actor=user, data=data))
        if scenario is None:
            return self.get(request, form=form)
        messages.success(request, _("场景应用已新增，等待审核。"))
        return redirect("mobile:scenario-detail", pk=scenario.pk)


class ScenarioDetailView(StaffRequiredMixin, View):
    def _scenario(self, request, pk):
        if not _can_view(request.user):
            raise PermissionDenied
        return get_object_or_404(ScenarioLibraryView()._scenarios(request.user), pk=pk)

    def get(self, request, pk):
        scenario = self._scenario(request, pk)
        own = request.user.is_superuser or scenario.organisation_id == request.user.organisation_id
        return render(request, "mobile/scenario_detail.html", {
            "scenario": scenario, "own": own and request.user.has_perm("mobile.develop_apps"),
            "admin": request.user.has_perm("mobile.administer_apps"), "timeline": timeline_for(scenario),
            "form": ScenarioForm(instance=scenario)})

    def post(self, request, pk):
        scenario = self._scenario(request, pk)
        user, post, back = request.user, request.POST, reverse("mobile:scenario-detail", args=[pk])
        action = post.get("action", "")
        if action == "update":
            form = ScenarioForm(post, instance=scenario)
            saved = save_form(form, lambda data: svc.scenario_update(actor=user, scenario=AppScenario.objects.get(pk=pk),
                                                                     data=data))
            if saved is None:
                messages.error(request, form.errors.as_text())
            else:
                messages.success(request, _("已修改，等待重新审核。"))
            return redirect(back)
        if action == "delete":
            return run_action(request, lambda: svc.scenario_delete(actor=user, scenario=scenario),
                              success=_("场景应用已删除。"), back=reverse("mobile:scenarios"))
        actions = {
            "detect": lambda: svc.scenario_detect(actor=user, scenario=scenario),
            "approve": lambda: svc.scenario_review(actor=user, scenario=scenario, approve=True),
            "reject": lambda: svc.scenario_review(actor=user, scenario=scenario, approve=False,
                                                  comment=post.get("reason", "")),
            "publish": lambda: svc.scenario_publish(actor=user, scenario=scenario, published=True),
            "unpublish": lambda: svc.scenario_publish(actor=user, scenario=scenario, published=False),
            "recommend": lambda: svc.scenario_recommend(actor=user, scenario=scenario, recommended=True),
            "unrecommend": lambda: svc.scenario_recommend(actor=user, scenario=scenario, recommended=False),
        }
        if action not in actions:
            raise PermissionDenied
        return run_action(request, actions[action], success=_("操作成功。"), back=back)
