"""Rendering a form schema (ACC-16.8) as page fields: each field with its current value and errors.

Conditions travel to the page as data attributes; static/js/acceptance-forms.js hides what does not
apply, and the server (services.forms.form_submission_validate) ignores hidden fields either way."""
from __future__ import annotations

from apps.acceptance.services.form_apply import application_prefill, bound_form

INPUT_TYPES = {"text": "text", "number": "number", "date": "date", "id_number": "text", "mobile": "tel",
               "email": "email"}


def _value(field, values):
    if hasattr(values, "getlist") and field["type"] == "checkbox":
        return values.getlist(field["key"])
    value = values.get(field["key"], [] if field["type"] == "checkbox" else "")
    return value if field["type"] == "checkbox" else ("" if value is None else str(value))


def schema_page_steps(schema, values=None, errors=None) -> list[dict]:
    values, errors = values or {}, errors or {}
    steps = []
    for step in schema.get("steps", []):
        fields = [{**field, "value": _value(field, values), "errors": errors.get(field["key"], []),
                   "input_type": INPUT_TYPES.get(field["type"], ""), "dom_id": f"af-{field['key']}"}
                  for field in step["fields"]]
        steps.append({**step, "fields": fields})
    return steps


def application_form_context(item, user, values=None, errors=None) -> dict | None:
    """The bound form of `item` for the apply page (None: the item keeps the plain page)."""
    bound = bound_form(item)
    if bound is None:
        return None
    form, version = bound
    if values is None:
        values = application_prefill(form, version, user) if user.is_authenticated else {}
    return {"form": form, "version": version, "steps": schema_page_steps(version.schema, values, errors),
            "has_errors": bool(errors)}
