"""Reviews API: the four open interfaces for integrators (HMAC), the hotline's verification
callback, the app's evaluation endpoints (logged-in citizens) and sensitive words (staff)."""
from __future__ import annotations


from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, DjangoModelPermissions, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.acceptance.models import Case
from apps.reviews.api.serializers import (
    EvaluationCitizenSubmitSerializer, EvaluationFeedbackSerializer, EvaluationMineSerializer,
    EvaluationPublicSerializer, EvaluationUploadResultSerializer, EvaluationUploadSerializer,
    HotlineVerificationSerializer, ReviewIndicatorSetSerializer, ReviewSensitiveWordSerializer,
)
from apps.reviews.convenient import impression_sets
from apps.reviews.models import (
    Evaluation, EvaluationApiCategory, EvaluationChannel, EvaluationIndicator, EvaluationTag, ObjectKind,
    SensitiveWord,
)
from apps.reviews.services.clients import ClientRefused, access_log, authenticate_client
from apps.reviews.services.evaluations import EvaluationInput, evaluation_feedback_record, evaluation_submit
from apps.reviews.services.upload import evaluations_upload
from apps.reviews.services.hotline import hotline_order_verify


def _refused(refusal: ClientRefused) -> Response:
    return Response({"message": refusal.message, "errors": {}}, status=status.HTTP_403_FORBIDDEN)


class ClientApi(APIView):
    """Base of the open interfaces: no session or token; the application signs each call."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    category = ""

    def dispatch(self, request, *args, **kwargs):
        request._dont_enforce_csrf_checks = True
        return super().dispatch(request, *args, **kwargs)

    def client(self, request):
        return authenticate_client(request, category=self.category)


def indicator_set(object_kind: str | None = None) -> dict:
    """Enabled level-2 indicators and tags, and the convenient impression sets per channel."""
    indicators = EvaluationIndicator.objects.filter(is_enabled=True)
    tags = EvaluationTag.objects.filter(is_enabled=True)
    impressions = impression_sets()
    if object_kind:
        indicators, tags = indicators.filter(object_kind=object_kind), tags.filter(object_kind=object_kind)
        impressions = [i for i in impressions if i["object_kind"] == object_kind]
    return {"indicators": indicators, "tags": tags, "impressions": impressions}


class EvaluationIndicatorFetchApi(ClientApi):
    """评价指标实时获取 (REV-3.1 ①): enabled indicators and tags, optionally for one object kind."""

    category = EvaluationApiCategory.INDICATOR_FETCH

    @extend_schema(responses=ReviewIndicatorSetSerializer, operation_id="reviews_open_indicators",
                   parameters=[OpenApiParameter("object_kind", str)])
    def get(self, request):
        try:
            client = self.client(request)
        except ClientRefused as refusal:
            return _refused(refusal)
        data = ReviewIndicatorSetSerializer(indicator_set(request.query_params.get("object_kind"))).data
        access_log(client=client, category=self.category, request=request, accepted=True,
                   records=len(data["indicators"]))
        return Response(data)


class EvaluationUploadApi(ClientApi):
    """评价数据实时上传 (REV-3.1 ②): one or many evaluations, all accepted or none."""

    category = EvaluationApiCategory.EVALUATION_UPLOAD

    @extend_schema(request=EvaluationUploadSerializer, responses={201: EvaluationUploadResultSerializer},
                   operation_id="reviews_open_upload")
    def post(self, request):
        try:
            client = self.client(request)
        except ClientRefused as refusal:
            return _refused(refusal)
        serializer = EvaluationUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = evaluations_upload(client=client, rows=serializer.validated_data["evaluations"])
        access_log(client=client, category=self.category, request=request, accepted=True, records=len(created))
        return Response({"accepted": len(created), "evaluation_numbers": [e.evaluation_number for e in created]},
                        status=status.HTTP_201_CREATED)


class EvaluationDownloadApi(ClientApi):
    """评价数据实时下载 (REV-3.1 ③): the application's region's evaluations after `since`."""

    category = EvaluationApiCategory.EVALUATION_DOWNLOAD

    @extend_schema(responses=EvaluationPublicSerializer(many=True), operation_id="reviews_open_download",
                   parameters=[OpenApiParameter("since", str), OpenApiParameter("limit", int)])
    def get(self, request):
        try:
            client = self.client(request)
        except ClientRefused as refusal:
            return _refused(refusal)
        rows = Evaluation.objects.filter(region__code__startswith=client.organisation.region.prefix).select_related(
            "case", "matter").order_by("-evaluated_at")
        if request.query_params.get("since"):
            rows = rows.filter(evaluated_at__gte=request.query_params["since"])
        try:
            limit = min(max(int(request.query_params.get("limit", 100)), 1), 1000)
        except ValueError:
            limit = 100
        data = EvaluationPublicSerializer(rows[:limit], many=True).data
        access_log(client=client, category=self.category, request=request, accepted=True, records=len(data))
        return Response(data)


class EvaluationFeedbackApi(ClientApi):
    """评价反馈实时上传 (REV-3.1 ④, 8.1): the application's answer to one of its evaluations."""

    category = EvaluationApiCategory.FEEDBACK_UPLOAD

    @extend_schema(request=EvaluationFeedbackSerializer, responses=EvaluationPublicSerializer,
                   operation_id="reviews_open_feedback")
    def post(self, request):
        try:
            client = self.client(request)
        except ClientRefused as refusal:
            return _refused(refusal)
        serializer = EvaluationFeedbackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evaluation = evaluation_feedback_record(client=client, **serializer.validated_data)
        access_log(client=client, category=self.category, request=request, accepted=True, records=1)
        return Response(EvaluationPublicSerializer(evaluation).data)


class HotlineVerificationApi(ClientApi):
    """The hotline reports its verifying call on a bad-review work order (REV-19.2)."""

    category = EvaluationApiCategory.FEEDBACK_UPLOAD

    @extend_schema(request=HotlineVerificationSerializer, responses={200: HotlineVerificationSerializer},
                   operation_id="reviews_hotline_verification")
    def post(self, request, order_number: str):
        try:
            client = self.client(request)
        except ClientRefused as refusal:
            return _refused(refusal)
        serializer = HotlineVerificationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = hotline_order_verify(order_number=order_number, result=serializer.validated_data["result"],
                                     client=client)
        access_log(client=client, category=self.category, request=request, accepted=True, records=1)
        return Response({"result": order.verification_result})


class EvaluationMineApi(generics.ListCreateAPIView):
    """The app (REV-17.x): GET the user's evaluations (已评价列表); POST an evaluation of one of
    the user's concluded cases."""

    permission_classes = [IsAuthenticated]
    serializer_class = EvaluationMineSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Evaluation.objects.none()
        return Evaluation.objects.filter(evaluator=self.request.user).select_related("matter")

    @extend_schema(request=EvaluationCitizenSubmitSerializer, responses={201: EvaluationMineSerializer},
                   operation_id="reviews_app_evaluate")
    def post(self, request):
        serializer = EvaluationCitizenSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = Case.objects.select_related("item", "region", "organisation").filter(
            case_number=data["case_number"], applicant=request.user).first()
        if case is None:
            raise ValidationError({"case_number": _("未找到您名下的该办件。")})
        evaluation = evaluation_submit(data=EvaluationInput(
            object_kind=ObjectKind.CASE, channel=EvaluationChannel.APP, level=data["level"], tags=data["tags"],
            indicators=data["indicators"], comment=data["comment"], case=case, evaluator=request.user, is_anonymous=data["is_anonymous"]))
        return Response(EvaluationMineSerializer(evaluation).data, status=status.HTTP_201_CREATED)


class ReviewSensitiveWordListApi(generics.ListCreateAPIView):
    """敏感词 (REV-23.11.6): list and add, for staff holding the model permissions."""

    permission_classes = [IsAuthenticated, DjangoModelPermissions]
    serializer_class = ReviewSensitiveWordSerializer
    queryset = SensitiveWord.objects.all()


class ReviewSensitiveWordDetailApi(generics.RetrieveUpdateDestroyAPIView):
    permission_classes = [IsAuthenticated, DjangoModelPermissions]
    serializer_class = ReviewSensitiveWordSerializer
    queryset = SensitiveWord.objects.all()


