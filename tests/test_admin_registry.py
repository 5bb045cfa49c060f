"""Administrators can manage every model of the platform in /admin/ (issue 2, item 5)."""
import pytest
from django.apps import apps
from django.contrib import admin

OUR_APPS = ("core", "identity", "matters", "licences", "acceptance", "supervision", "reviews", "portal", "servicemap",
            "stores", "analytics", "mobile", "ops")


def _inline_models() -> set:
    return {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}


def our_models():
    """Every model of our apps that is not edited only as an inline of its parent."""
    inline_only = _inline_models()
    return [model for label in OUR_APPS for model in apps.get_app_config(label).get_models()
            if not (model in inline_only and not admin.site.is_registered(model))]


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m._meta.label)
def test_every_project_model_is_registered_with_list_filters_or_search(model):
    assert admin.site.is_registered(model), f"{model._meta.label} is not in the admin"
    model_admin = admin.site._registry[model]
    assert model_admin.list_display != ("__str__",), f"{model._meta.label}: list_display not configured"
    assert model_admin.list_filter or model_admin.search_fields, f"{model._meta.label}: no filters or search"


@pytest.mark.django_db
@pytest.mark.parametrize("model", our_models(), ids=lambda m: m._meta.label)
def test_changelist_opens_for_a_superuser(admin_client, model):
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    assert admin_client.get(url).status_code == 200
