"""One error shape for the whole API: {"message": "...", "errors": {field: ["...", ...]}}.

* validation errors (DRF's, and Django's ValidationError raised by a service) → 400 with
  every field's messages under "errors" ("non_field_errors" for the rest);
* every other error DRF knows (401, 403, 404, 405, 429 …) → its status, its message, and
  "errors": {}.
"""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler


def _as_lists(detail) -> dict:
    """{field: [str, ...]} from DRF's error detail (nested serializers flattened to text)."""
    if isinstance(detail, dict):
        return {str(key): _messages(value) for key, value in detail.items()}
    return {"non_field_errors": _messages(detail)}


def _messages(value) -> list:
    if isinstance(value, (list, tuple)):
        flat = []
        for item in value:
            flat.extend(_messages(item) if isinstance(item, (list, tuple)) else [item if isinstance(item, dict)
                                                                                 else str(item)])
        return flat
    if isinstance(value, dict):
        return [value]
    return [str(value)]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"message": _("输入有误，请检查后重试。"), "errors": _as_lists(data)}
    elif isinstance(data, dict) and "detail" in data:
        response.data = {"message": str(data["detail"]), "errors": {}}
    else:
        response.data = {"message": str(data), "errors": {}}
    return response


class ErrorSerializer(serializers.Serializer):
    """The error body above, for the OpenAPI schema of views that document their refusals."""

    message = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
