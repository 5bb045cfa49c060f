"""Shared helpers of the mobile portal views."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from apps.core.forms import add_service_errors


def run_action(request, action, *, success: str, back: str):
    """Run a service call from a POST button: a message either way, then back to the page."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "您没有执行此操作的权限。")
    else:
        messages.success(request, success)
    return redirect(back)


def save_form(form, call):
    """Call the service with the valid form; put a ValidationError on the form. Returns the result or None."""
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
