"""The API documentation works on an intranet: Swagger UI assets come from our own static files."""
import re

import pytest


@pytest.mark.django_db
def test_swagger_ui_loads_no_asset_from_a_cdn(client):
    page = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui-bundle.js" in asset for asset in assets)
    assert all(asset.startswith("/") for asset in assets), assets


@pytest.mark.django_db
def test_operations_are_tagged_by_resource(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    tags = {tag for operation in schema["paths"].get("/api/v1/core/regions/", {}).values()
            if isinstance(operation, dict) for tag in operation.get("tags", [])}
    assert tags == {"regions"}
