"""A thin form page that hands its data to a service and shows the service's errors on the form."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views import View

from apps.core.views.mixins import StaffPermissionMixin


class ServiceFormView(StaffPermissionMixin, View):
    """GET shows the form; POST parses it, calls `perform(form)`, and redirects or shows errors."""

    form_class = None
    template_name = "identity/form.html"
    title = ""
    success_message = ""

    def get_object(self):
        return None

    def get_form(self, data=None):
        return self.form_class(data, actor=self.request.user, **self.get_form_kwargs())

    def get_form_kwargs(self) -> dict:
        return {}

    def get_context_data(self, **kwargs) -> dict:
        return {"title": self.title, **kwargs}

    def perform(self, form):
        raise NotImplementedError

    def get_success_url(self, result) -> str:
        raise NotImplementedError

    def render_form(self, form, status: int = 200):
        return render(self.request, self.template_name, self.get_context_data(form=form), status=status)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                result = self.perform(form)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                if self.success_message:
                    messages.success(request, self.success_message)
                return redirect(self.get_success_url(result))
        return self.render_form(form, status=400)


class UserObjectFormView(ServiceFormView):
    """A form about one user inside the actor's scope (404 outside it); the form edits that user."""

    def get_object(self):
        from apps.identity import selectors

        return selectors.user_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)
