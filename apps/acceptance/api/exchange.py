"""Dispatch-centre API: inbound exchange messages, case-code interface and verification, case query by
applicant, online application (ACC-14.x, 17.x, 19.6, 0.9). Client systems authenticate with the header
`X-Client-Token` (ACC-11.5, 14.2); no token, a wrong token or a disabled application → 401."""
from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from apps.acceptance.models import Case
from apps.acceptance.services import codes as code_services
from apps.acceptance.services.dispatch import client_for_token
from apps.acceptance.services.exchange import ExchangeRefused, exchange_receive
from apps.core.crypto import keyed_digest

TOKEN_HEADER = "HTTP_X_CLIENT_TOKEN"


class ClientTokenAuthentication(BaseAuthentication):
    """令牌服务 (ACC-14.2): the request's `auth` is the approved client system owning the token."""

    def authenticate(self, request):
        client = client_for_token(request.META.get(TOKEN_HEADER, ""))
        if client is None:
            raise AuthenticationFailed("缺少有效的系统令牌，禁止访问调度服务中心。")
        return AnonymousUser(), client

    def authenticate_header(self, request):
        return "X-Client-Token"


class AcceptanceClientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "apps.acceptance.api.exchange.ClientTokenAuthentication"
    name = "acceptanceClientToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-Client-Token"}


def _client(request):
    return request.auth


class AcceptanceExchangeEnvelopeSerializer(serializers.Serializer):
    version = serializers.CharField(required=False)
    message_id = serializers.CharField()
    kind = serializers.CharField()
    case_number = serializers.CharField(required=False)
    body = serializers.DictField(required=False)


class AcceptanceExchangeResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    duplicate = serializers.BooleanField()
    case_number = serializers.CharField(allow_blank=True)
    case_status = serializers.CharField(allow_blank=True)


class AcceptanceExchangeApi(APIView):
    """Department systems push messages here (docs/acceptance-exchange.md §4); 409 when out of order."""

    authentication_classes = [ClientTokenAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(request=AcceptanceExchangeEnvelopeSerializer, responses={200: AcceptanceExchangeResultSerializer})
    def post(self, request):
        client = _client(request)
        try:
            duplicate, case = exchange_receive(client=client, envelope=request.data)
        except ExchangeRefused as exc:
            return Response({"message": exc.messages[0], "errors": {}, "code": "refused"},
                            status=status.HTTP_409_CONFLICT)
        return Response({"ok": True, "duplicate": duplicate, "case_number": case.case_number if case else "",
                         "case_status": case.status if case else ""})


class AcceptanceCaseCodeRequestSerializer(serializers.Serializer):
    item_code = serializers.CharField()
    case_number = serializers.CharField(required=False, allow_blank=True)


class AcceptanceCaseCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    year = serializers.IntegerField()
    serial = serializers.IntegerField()
    graphic_url = serializers.CharField()


class AcceptanceCaseCodeIssueApi(APIView):
    """办件码接口 (ACC-17.11 ①): a business system asks for the next code of an item, optionally for a case."""

    authentication_classes = [ClientTokenAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(request=AcceptanceCaseCodeRequestSerializer, responses={201: AcceptanceCaseCodeSerializer})
    def post(self, request):
        from django.urls import reverse

        from apps.matters.models import ImplementationItem

        client = _client(request)
        data = AcceptanceCaseCodeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = get_object_or_404(ImplementationItem, implementation_code=data.validated_data["item_code"])
        case = None
        if data.validated_data.get("case_number"):
            case = get_object_or_404(Case, case_number=data.validated_data["case_number"], item=item)
        code = code_services.case_code_issue(item=item, case=case, client=client)
        return Response({"code": code.code, "year": code.year, "serial": code.serial,
                         "graphic_url": request.build_absolute_uri(reverse("acceptance:code-qr", args=[code.code]))},
                        status=status.HTTP_201_CREATED)


class AcceptanceCaseCodeVerifySerializer(serializers.Serializer):
    valid = serializers.BooleanField()


class AcceptanceCaseCodeVerifyApi(APIView):
    """核查 (ACC-17.5): true for an issued, active code; false otherwise. Open to the enforcement APP."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(parameters=[OpenApiParameter("code", str, required=True)],
                   responses={200: AcceptanceCaseCodeVerifySerializer})
    def get(self, request):
        client = client_for_token(request.META.get(TOKEN_HEADER, ""))
        return Response({"valid": code_services.case_code_verify(request.query_params.get("code", ""),
                                                                 client=client)})


class AcceptanceCaseSummarySerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    item_name = serializers.CharField(source="item.name")
    stage = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["case_number", "item_name", "status", "status_label", "stage", "submitted_at", "accepted_at",
                  "concluded_at", "due_date"]

    def get_stage(self, case) -> str:
        if case.status == "concluded":
            return "concluded"
        if case.status in ("supplement_required", "pre_review_passed", "pending_pre_review"):
            return "pending_applicant"
        return "accepted" if case.accepted_at else "handling"


class AcceptanceCaseQueryApi(APIView):
    """受理信息查询接口 (ACC-19.6): cases of one applicant by ID number or USCC, for the provincial platform."""

    authentication_classes = [ClientTokenAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("id_number", str, required=True)],
                   responses={200: AcceptanceCaseSummarySerializer(many=True)})
    def get(self, request):
        _client(request)
        number = request.query_params.get("id_number", "").strip().upper()
        if not number:
            return Response({"message": "请提供证件号码。", "errors": {}}, status=status.HTTP_400_BAD_REQUEST)
        cases = Case.objects.filter(applicant_id_number_digest=keyed_digest(number)).select_related("item")[:200]
        return Response(AcceptanceCaseSummarySerializer(cases, many=True).data)


class AcceptanceApplyInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    applicant_name = serializers.CharField(max_length=128)
    applicant_id_number = serializers.CharField(max_length=18)
    applicant_mobile = serializers.CharField(max_length=11, required=False, allow_blank=True)
    situations = serializers.ListField(child=serializers.IntegerField(), required=False)
    form_answers = serializers.JSONField(
        required=False, help_text="Answers to the item's bound form (GET items/{id}/form/): an object keyed by "
                                  "field key (checkbox answers as lists); in multipart, the object as a JSON string.")


class AcceptanceMyCaseListApi(APIView):
    """GET: my cases. POST (multipart, files as file_<material id>): apply online (ACC-0.9, 14.7)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses={200: AcceptanceCaseSummarySerializer(many=True)})
    def get(self, request):
        cases = Case.objects.filter(applicant=request.user).select_related("item")[:200]
        return Response(AcceptanceCaseSummarySerializer(cases, many=True).data)

    @extend_schema(request=AcceptanceApplyInputSerializer, responses={201: AcceptanceCaseSummarySerializer})
    def post(self, request):
        from apps.acceptance.services.onewindow import case_apply_online
        from apps.matters.models import ImplementationItem

        data = AcceptanceApplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        item = get_object_or_404(ImplementationItem, pk=values.pop("item"), status="published")
        from apps.acceptance.api.forms import form_answers_of

        entries, overrides = form_answers_of(item, values.pop("form_answers", None), request.user)
        case = case_apply_online(item=item, actor=request.user, situation_ids=values.pop("situations", []),
                                 files={k[5:]: v for k, v in request.FILES.items() if k.startswith("file_")},
                                 form_data=entries, **{**values, **overrides})
        return Response(AcceptanceCaseSummarySerializer(case).data, status=status.HTTP_201_CREATED)
