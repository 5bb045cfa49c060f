"""Identity API: token login, the current user, users (PORTAL-9.1/9.2), access requests (PORTAL-9.3)."""
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.identity import selectors, services
from apps.identity.api.permissions import IsStaffUser, model_permission
from apps.identity.api.serializers import (
    AccessRequestCreateSerializer,
    AccessRequestSerializer,
    DecisionSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UserSerializer,
)
from apps.identity.filters import AccessRequestFilterSet, UserFilterSet
from apps.identity.services.login import (
    login_failure_record,
    login_failures_clear,
    login_is_locked,
    resolve_login_name,
)

TAG = "identity"


class TokenApi(APIView):
    """Exchange a login name and password for an API token (staff and public users alike)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(tags=[TAG], summary="获取访问令牌", request=TokenRequestSerializer,
                   responses={200: TokenResponseSerializer, 400: OpenApiResponse(description="用户名或密码错误")})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = resolve_login_name(serializer.validated_data["username"])
        if login_is_locked(username):
            raise ValidationError({"non_field_errors": ["连续登录失败次数过多，账号已临时锁定，请稍后再试。"]})
        user = authenticate(request, username=username, password=serializer.validated_data["password"])
        if user is None:
            login_failure_record(username=username, ip_address=request.META.get("REMOTE_ADDR"))
            raise ValidationError({"non_field_errors": ["用户名或密码错误，或账号已停用。"]})
        login_failures_clear(username=username)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "user": MeSerializer(user).data})


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="当前用户", responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(tags=[TAG], summary="注销访问令牌", request=None, responses={204: None})
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary="用户列表（按数据范围，手机号脱敏）"),
    retrieve=extend_schema(tags=[TAG], summary="用户详情"),
)
class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """Users the caller may manage, filtered like the portal's user management page."""

    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    permission_classes = [IsStaffUser, model_permission("identity.view_user")]

    def get_queryset(self):
        return selectors.user_queryset(user=self.request.user)


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary="系统访问权限申请列表（本人的，及审核人范围内的）"),
    retrieve=extend_schema(tags=[TAG], summary="系统访问权限申请详情"),
)
class AccessRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                           viewsets.GenericViewSet):
    serializer_class = AccessRequestSerializer
    filterset_class = AccessRequestFilterSet
    permission_classes = [IsStaffUser]

    def get_queryset(self):
        return selectors.access_request_queryset(user=self.request.user)

    @extend_schema(tags=[TAG], summary="申请系统访问权限", request=AccessRequestCreateSerializer,
                   responses={201: AccessRequestSerializer})
    def create(self, request, *args, **kwargs):
        serializer = AccessRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access_request = services.access_request_create(applicant=request.user, **serializer.validated_data)
        return Response(AccessRequestSerializer(access_request).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, decide):
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access_request = decide(access_request=self.get_object(), actor=request.user,
                                comment=serializer.validated_data["comment"])
        return Response(AccessRequestSerializer(access_request).data)

    @extend_schema(tags=[TAG], summary="审核通过", request=DecisionSerializer, responses=AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, services.access_request_approve)

    @extend_schema(tags=[TAG], summary="驳回（须填写理由）", request=DecisionSerializer,
                   responses=AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, services.access_request_reject)
