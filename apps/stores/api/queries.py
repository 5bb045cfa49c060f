"""API of the query services (STORE-3.x) for the app, mini-programs and the national zone's PC pages:
the catalogue, and one POST per service that runs it with the same rules as the page."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.errors import ErrorSerializer
from apps.core.middleware import client_address
from apps.stores.queries import QueryRefused, run_query
from apps.stores.queries_catalogue import CHOICES, SERVICES, Access, Mode, get_service


class InputFieldSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.ListField(child=serializers.CharField()),
                                    help_text="[value, label] pairs for a choice field; empty for text")


class ColumnSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    masked = serializers.BooleanField(help_text="values are masked (ID, card, account numbers)")


class QueryServiceSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="item number in the tender (STORE-3.<number>)")
    code = serializers.CharField()
    name = serializers.CharField()
    access = serializers.ChoiceField(choices=[a.value for a in Access])
    topic = serializers.CharField(source="topic_label")
    source = serializers.CharField(help_text="department whose data answers")
    mode = serializers.ChoiceField(choices=[m.value for m in Mode])
    inputs = serializers.SerializerMethodField()
    columns = ColumnSerializer(many=True)

    @staticmethod
    def _input(field) -> dict:
        return {"code": field.code, "label": str(field.kind.label), "required": field.required,
                "choices": [list(pair) for pair in CHOICES.get(field.code, ())]}

    def get_inputs(self, service) -> list[dict]:
        return InputFieldSerializer([self._input(field) for field in service.inputs], many=True).data


class QueryServiceListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = QueryServiceSerializer(many=True)


class QueryRunRequestSerializer(serializers.Serializer):
    params = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict,
                                   help_text="the service's input codes → values; personal and enterprise "
                                             "services take the signed-in account's own identity")


class QueryRunResponseSerializer(serializers.Serializer):
    service = serializers.CharField()
    columns = ColumnSerializer(many=True)
    records = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    total = serializers.IntegerField(help_text="records found; at most 50 are returned")
    verdict = serializers.CharField(help_text="verify services: 一致 / 不一致 / 查无此人; empty otherwise")


class QueryServiceListApi(APIView):
    """The 95 query services of the national flagship store's Heilongjiang zone (a fixed catalogue)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=QueryServiceListSerializer, summary="查询服务目录")
    def get(self, request):
        return Response({"count": len(SERVICES), "results": QueryServiceSerializer(SERVICES, many=True).data})


class QueryRunApi(APIView):
    """Run one query service. Public services answer anyone; personal ones need a natural person at real-name
    level 2 or above (their own records only), enterprise ones a legal-person account (its own records)."""

    permission_classes = [AllowAny]

    @extend_schema(request=QueryRunRequestSerializer, summary="执行查询",
                   responses={200: QueryRunResponseSerializer, 400: ErrorSerializer, 401: ErrorSerializer,
                              403: ErrorSerializer, 404: ErrorSerializer, 429: ErrorSerializer,
                              503: OpenApiResponse(ErrorSerializer, description="the data source is unavailable")})
    def post(self, request, code):
        service = get_service(code)
        if service is None:
            return Response({"message": "没有这个查询服务", "errors": {}}, status=404)
        body = QueryRunRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            answer = run_query(user=request.user, service=service, data=body.validated_data["params"],
                               client_key=client_address(request))
        except QueryRefused as refused:
            return Response({"message": refused.message, "errors": {}}, status=refused.status)
        return Response({"service": service.code, "columns": [vars(c) for c in answer.columns],
                         "records": answer.rows, "total": answer.total, "verdict": answer.verdict})
