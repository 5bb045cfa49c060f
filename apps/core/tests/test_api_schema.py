"""API infrastructure: OpenAPI document, Swagger UI, the one error shape, the bench's ping."""
import io

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_schema_is_a_valid_openapi_3_document(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    validate(document)                                   # raises on an invalid document
    assert "/api/v1/core/jobs/{id}/" in document["paths"]
    assert "/api/v1/core/audit-logs/" in document["paths"]
    assert "put" not in document["paths"]["/api/v1/core/audit-logs/{id}/"]


def test_spectacular_validates_the_whole_project_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    err = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=err)
    assert target.stat().st_size > 1000, err.getvalue()


def test_swagger_ui_renders(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html and "/api/schema/" in html


def test_ping_needs_no_login_and_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/api/v1/core/ping/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_not_found_and_unauthenticated_use_the_error_shape(client, staff):
    response = client.get("/api/v1/core/jobs/")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"message", "errors"} and response.json()["errors"] == {}
    client.force_login(staff["harbin"])
    response = client.get("/api/v1/core/jobs/424242/")
    assert response.status_code == 404 and response.json() == {"message": response.json()["message"], "errors": {}}
    response = client.delete("/api/v1/core/jobs/424242/")
    assert response.status_code == 405 and set(response.json()) == {"message", "errors"}


def test_service_validation_errors_become_field_errors():
    from django.core.exceptions import ValidationError
    from rest_framework import exceptions

    from apps.core.api.errors import exception_handler

    response = exception_handler(ValidationError({"code": ["区划代码须为12位数字。"]}), {})
    assert response.status_code == 400
    assert response.data == {"message": "输入有误，请检查后重试。", "errors": {"code": ["区划代码须为12位数字。"]}}
    response = exception_handler(exceptions.ValidationError(["整体错误"]), {})
    assert response.data["errors"] == {"non_field_errors": ["整体错误"]}
