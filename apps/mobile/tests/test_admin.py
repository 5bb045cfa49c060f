"""Every mobile model is in the admin with list columns and filters or search, and its list opens."""
import pytest
from django.apps import apps
from django.contrib import admin

MODELS = list(apps.get_app_config("mobile").get_models())


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_registered_with_filters_or_search(model):
    model_admin = admin.site._registry[model]
    assert model_admin.list_display != ("__str__",)
    assert model_admin.list_filter or model_admin.search_fields


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_opens(admin_client, model):
    assert admin_client.get(f"/admin/mobile/{model._meta.model_name}/").status_code == 200
