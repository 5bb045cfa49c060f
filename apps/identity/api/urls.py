"""Identity API under /api/v1/identity/."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.identity.api.account import DuplicateCheckApi, PasswordChangeApi
from apps.identity.api.login import QrLoginConfirmApi
from apps.identity.api.thirdparty import (
    AlipayLoginApi,
    FaceCompareApi,
    RealNameVerifyApi,
)
from apps.identity.api.views import AccessRequestViewSet, MeApi, TokenApi, UserViewSet

router = SimpleRouter()
router.register("users", UserViewSet, basename="identity-user")
router.register("access-requests", AccessRequestViewSet, basename="identity-access-request")

urlpatterns = [
    path("token/", TokenApi.as_view(), name="identity-token"),
    path("me/", MeApi.as_view(), name="identity-me"),
    path("qr-login/confirm/", QrLoginConfirmApi.as_view(), name="identity-qr-login-confirm"),
    path("password/", PasswordChangeApi.as_view(), name="identity-password-change"),
    path("duplicates/<str:field>/", DuplicateCheckApi.as_view(), name="identity-duplicate-check"),
    path("login/alipay/", AlipayLoginApi.as_view(), name="identity-alipay-login"),
    path("face/compare/", FaceCompareApi.as_view(), name="identity-face-compare"),
    path("real-name/<str:method>/", RealNameVerifyApi.as_view(), name="identity-real-name-verify"),
    *router.urls,
]
