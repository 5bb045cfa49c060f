"""Register every model an app did not register itself, with a useful generated admin.

A generated admin lists the first fields, filters on choices, booleans and dates, searches text
fields, and is audited like every other admin (AuditedModelAdmin). Apps replace it by registering
their own ModelAdmin; this only fills the gaps so that administrators can reach every table.
"""
from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.db import models

from apps.core.admin.audit import AuditedModelAdmin

_FILTERABLE = (models.BooleanField, models.DateField, models.DateTimeField)


def _generated_admin(model) -> type[admin.ModelAdmin]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    display = [f.name for f in fields if not isinstance(f, (models.TextField, models.JSONField))][:6] or ["__str__"]
    filters = [f.name for f in fields if f.choices or isinstance(f, _FILTERABLE)][:4]
    search = [f.name for f in fields if isinstance(f, models.CharField) and not f.choices][:3]
    related = [f.name for f in fields if isinstance(f, models.ForeignKey)]
    attrs = {"list_display": display, "list_filter": filters, "search_fields": search or ["=pk"],
             "raw_id_fields": related, "__module__": __name__}
    return type(f"{model.__name__}GeneratedAdmin", (AuditedModelAdmin,), attrs)


def register_remaining(*app_labels: str) -> list[str]:
    inline_models = {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}
    registered = []
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            if admin.site.is_registered(model) or model in inline_models:
                continue
            admin.site.register(model, _generated_admin(model))
            registered.append(model._meta.label)
    return registered
