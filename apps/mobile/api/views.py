"""Mobile REST API: interface resources, apps, the channel catalogue, the user and message components,
and the interface gateway."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.mobile import selectors, transport
from apps.mobile.api import serializers as s
from apps.mobile.filters import AppFilterSet, ResourceFilterSet
from apps.mobile.models import InterfaceResource, ListingStatus, MobileApp
from apps.mobile.services import components, gateway, interfaces

APP_HEADERS = [OpenApiParameter("X-App-Id", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
                                description="应用标识"),
               OpenApiParameter("X-App-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
                                description="应用密钥（创建应用时发放）")]


def _drf_error(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


OPEN_LIMIT_PER_MINUTE = 60


def _counted_too_often(request, identifier: str) -> bool:
    """Public visit counters: one address may report an app at most OPEN_LIMIT_PER_MINUTE times a minute."""
    from apps.core.middleware import client_address
    from apps.core.ratelimit import admit

    return not admit(f"mobile:visit:{client_address(request)}:{identifier}", limit=OPEN_LIMIT_PER_MINUTE, window=60)


def _app_from_headers(request) -> MobileApp:
    app = gateway.authenticate_app(request.headers.get("X-App-Id", ""), request.headers.get("X-App-Key", ""))
    if app is None:
        raise AuthenticationFailed("应用标识或应用密钥无效。")
    return app


class ResourceListApi(generics.ListCreateAPIView):
    """APP-3.1: the unit's interface resources (list with code, name, provider, version, status; add)."""

    serializer_class = s.ResourceSerializer
    filterset_class = ResourceFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):          # schema generation: no signed-in user
            return InterfaceResource.objects.none()
        if not self.request.user.has_perm("mobile.manage_interfaces"):
            raise PermissionDenied
        return selectors.own_resources(user=self.request.user)

    def perform_create(self, serializer):
        try:
            serializer.instance = interfaces.resource_create(actor=self.request.user,
                                                             data=dict(serializer.validated_data))
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None


class ResourceReviewApi(APIView):
    """APP-3.2: review one or a batch of resources; rejecting requires a reason."""

    @extend_schema(request=s.ReviewInputSerializer, responses=s.CountSerializer)
    def post(self, request):
        data = s.ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        resources = list(selectors.review_queue(user=request.user).filter(pk__in=data.validated_data["ids"]))
        if len(resources) != len(set(data.validated_data["ids"])):
            raise ValidationError({"ids": ["部分接口资源不存在、不在您的范围内或不是待审核状态。"]})
        try:
            count = interfaces.resource_review(actor=request.user, resources=resources,
                                               approve=data.validated_data["approve"],
                                               reason=data.validated_data.get("reason", ""))
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        return Response({"reviewed": count})


class AppListApi(generics.ListAPIView):
    """APP-5.2 / APP-4.3: applications in scope (admins) or of the own unit (developers); fuzzy name search."""

    serializer_class = s.AppSerializer
    filterset_class = AppFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):          # schema generation: no signed-in user
            return MobileApp.objects.none()
        user = self.request.user
        if user.has_perm("mobile.administer_apps"):
            return selectors.app_list(user=user)
        if user.has_perm("mobile.develop_apps"):
            return selectors.own_apps(user=user)
        raise PermissionDenied


class ChannelCatalogueApi(APIView):
    """APP-9, APP-5.6, APP-7: the apps a production channel (app, wechat, alipay) shows; an app delisted by
    automatic maintenance is returned with `maintenance: true` and a notice instead of its address."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(responses=s.ChannelAppSerializer(many=True))
    def get(self, request, channel: str):
        rows = []
        for app in selectors.channel_catalogue(channel_code=channel):
            maintenance = app.listing_status != ListingStatus.LISTED
            icon = app.display_icon or app.icon
            rows.append({"identifier": app.identifier, "title": app.title, "url": "" if maintenance else app.url,
                         "icon": request.build_absolute_uri(icon.url) if icon else "",
                         "app_type": app.app_type.name, "organisation": app.organisation.name,
                         "maintenance": maintenance,
                         "notice": "应用维护中，请稍后再试。" if maintenance else ""})
        return Response(s.ChannelAppSerializer(rows, many=True).data)


class AppOpenApi(APIView):
    """Counts one opening of an app from a channel (visits, APP-6.1)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(request=None, responses={204: None})
    def post(self, request, identifier: str):
        if _counted_too_often(request, identifier):
            return Response({"detail": "请求过于频繁。"}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        app = MobileApp.objects.filter(identifier=identifier, listing_status=ListingStatus.LISTED).first()
        if app is None:
            return Response({"detail": "应用不存在或未上架。"}, status=status.HTTP_404_NOT_FOUND)
        gateway.count_open(app_id=app.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AppCloseApi(APIView):
    """Reports how long an app was used in one session when it is closed (usage duration, APP-6.1)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(request=s.DurationSerializer, responses={204: None})
    def post(self, request, identifier: str):
        data = s.DurationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if _counted_too_often(request, identifier):
            return Response({"detail": "请求过于频繁。"}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        app = MobileApp.objects.filter(identifier=identifier, listing_status=ListingStatus.LISTED).first()
        if app is None:
            return Response({"detail": "应用不存在或未上架。"}, status=status.HTTP_404_NOT_FOUND)
        gateway.count_duration(app_id=app.pk, seconds=data.validated_data["seconds"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserComponentApi(APIView):
    """APP-2.1 user component: the app (X-App-Id/X-App-Key) asks who the signed-in unified user is.
    The user is authenticated by the platform itself (session of unified identity authentication in the
    WebView, or the API token); the first call binds the user to the app."""

    @extend_schema(parameters=APP_HEADERS, responses=s.UserInfoSerializer)
    def get(self, request):
        app = _app_from_headers(request)
        try:
            return Response(components.user_profile(app=app, user=request.user))
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None

    @extend_schema(parameters=APP_HEADERS, request=s.BindAccountSerializer, responses=s.UserInfoSerializer)
    def post(self, request):
        app = _app_from_headers(request)
        data = s.BindAccountSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            components.user_binding_set_account(app=app, user=request.user,
                                                app_account=data.validated_data["app_account"])
            return Response(components.user_profile(app=app, user=request.user))
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None


class MessageComponentApi(APIView):
    """APP-2.4 message component: the app pushes a message to one of its bound users (by open_id)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(parameters=APP_HEADERS, request=s.PushInputSerializer, responses={201: s.PushOutputSerializer})
    def post(self, request):
        app = _app_from_headers(request)
        data = s.PushInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            message = components.message_push(app=app, **data.validated_data)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise _drf_error(exc) from None
        return Response({"id": message.pk, "request_id": message.request_id, "created_at": message.created_at},
                        status=status.HTTP_201_CREATED)


@csrf_exempt
def gateway_view(request, code: str, path: str = ""):
    """The interface gateway (APP-3.7): /api/v1/mobile/gateway/<resource code>/<path> with X-App-Id and
    X-App-Key; not part of the OpenAPI schema because its body is the upstream's own."""
    answer = gateway.gateway_call(identifier=request.headers.get("X-App-Id", ""),
                                  key=request.headers.get("X-App-Key", ""), code=code, method=request.method,
                                  path=path, query=request.META.get("QUERY_STRING", ""), body=request.body,
                                  content_type=request.content_type if request.body else "",
                                  secure=request.is_secure(), scheme=request.headers.get(transport.HEADER, ""),
                                  encrypted_query=request.headers.get(transport.QUERY_HEADER, ""))
    response = HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
    if answer.encrypted:
        response[transport.HEADER] = answer.encrypted
    return response
