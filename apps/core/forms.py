"""Form helpers shared by every app's pages."""
from __future__ import annotations

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on `form`: each message on its field when the form has that field,
    otherwise (and for a message without a field) as a non-field error."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
