"""Forms in the API (ACC-16.8): the schema of an item's bound form, and the answers of the apply API
checked exactly as on the apply page (services.form_apply)."""
from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.acceptance.services.form_apply import application_answers, application_prefill, bound_form


class AcceptanceFormSchemaSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Form code")
    name = serializers.CharField()
    version = serializers.IntegerField(help_text="Published version number the answers are checked against")
    schema = serializers.JSONField(help_text="{'steps': [{'key', 'title', 'show_if'?, 'fields': [{'key', 'label', "
                                             "'type', 'required', 'options'?, 'min'?, 'max'?, 'min_length'?, "
                                             "'max_length'?, 'regex'?, 'help'?, 'show_if'?}]}]}")
    initial = serializers.JSONField(help_text="Answers pre-filled from the caller's identity profile (ACC-16.4)")


class AcceptanceItemFormApi(APIView):
    """GET: the published form an item's online application uses (404 when the item has none)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: AcceptanceFormSchemaSerializer})
    def get(self, request, pk):
        from apps.matters.models import ImplementationItem

        item = get_object_or_404(ImplementationItem, pk=pk, status="published")
        bound = bound_form(item)
        if bound is None:
            raise Http404
        form, version = bound
        initial = application_prefill(form, version, request.user) if request.user.is_authenticated else {}
        return Response(AcceptanceFormSchemaSerializer({"code": form.code, "name": form.name,
                                                        "version": version.number, "schema": version.schema,
                                                        "initial": initial}).data)


def form_answers_of(item, raw, user) -> tuple[dict, dict]:
    """Answers of the apply API → (form_data entries, applicant overrides); errors keyed
    `form_answers.<field key>` so a client can show them next to its fields."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw or "{}")
        except ValueError:
            raise ValidationError({"form_answers": ["表单答案须为 JSON 对象。"]}) from None
    if raw is not None and not isinstance(raw, dict):
        raise ValidationError({"form_answers": ["表单答案须为 JSON 对象。"]})
    try:
        return application_answers(item=item, data=raw or {}, user=user)
    except ValidationError as exc:
        raise ValidationError({f"form_answers.{k}": v for k, v in exc.message_dict.items()}) from None
