"""Monitoring big screens (OPS-12.1): my screens, the drag-and-drop editor, the full-screen display."""
from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from apps.core.forms import add_service_errors
from apps.core.views.mixins import StaffPermissionMixin
from apps.ops.models import MonitoringScreen
from apps.ops.screens import MODULES
from apps.ops.services.screens import screen_save

PERM = "ops.use_screens"


class ScreenForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("大屏标题"), max_length=60)
    refresh_seconds = forms.IntegerField(label=gettext_lazy("刷新间隔（秒）"), initial=60)
    logo = forms.FileField(label=gettext_lazy("标识（PNG/JPEG，≤512KB）"), required=False)
    layout = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_layout(self):
        try:
            return json.loads(self.cleaned_data["layout"] or "[]")
        except ValueError:
            raise forms.ValidationError(_("布局格式无效。")) from None


def _own(request, pk) -> MonitoringScreen:
    screen = MonitoringScreen.objects.filter(pk=pk, owner=request.user).first()
    if screen is None:
        raise Http404
    return screen


class ScreenListView(StaffPermissionMixin, TemplateView):
    permission_required = PERM
    template_name = "ops/screens/list.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("监控大屏"),
                "screens": MonitoringScreen.objects.filter(owner=self.request.user)}


class ScreenEditView(StaffPermissionMixin, View):
    permission_required = PERM
    template_name = "ops/screens/edit.html"

    def _render(self, request, form, screen, status=200):
        layout = form["layout"].value() or json.dumps(screen.layout if screen else [])
        return render(request, self.template_name, {
            "form": form, "screen": screen, "title": screen.title if screen else _("新建大屏"),
            "modules": MODULES.values(), "layout_json": layout}, status=status)

    def get(self, request, pk=None):
        screen = _own(request, pk) if pk else None
        initial = {"title": screen.title, "refresh_seconds": screen.refresh_seconds,
                   "layout": json.dumps(screen.layout)} if screen else {}
        return self._render(request, ScreenForm(initial=initial), screen)

    def post(self, request, pk=None):
        screen = _own(request, pk) if pk else None
        form = ScreenForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                screen = screen_save(by=request.user, title=data["title"], layout=data["layout"], logo=data["logo"],
                                     refresh_seconds=data["refresh_seconds"], screen=screen)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("大屏已保存。"))
                return redirect("ops:screen-edit", pk=screen.pk)
        return self._render(request, form, screen, status=400)


class ScreenDisplayView(StaffPermissionMixin, View):
    permission_required = PERM

    def get(self, request, pk):
        screen = _own(request, pk)
        modules = []
        for index, item in enumerate(screen.layout):
            module = MODULES.get(item["module"])
            if module:
                modules.append({"module": module, "width": item["width"], "data": module.build(),
                                "chart_id": f"screen-chart-{index}"})
        return render(request, "ops/screens/display.html", {"screen": screen, "modules": modules})
