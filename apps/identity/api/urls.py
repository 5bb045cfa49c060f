"""Identity API under /api/v1/identity/."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.identity.api import mobile
from apps.identity.api.account import (
    DuplicateCheckApi,
    PasswordChangeApi,
    PortalUserCreateApi,
    PortalUserUpdateApi,
)
from apps.identity.api.addresses import DeliveryAddressViewSet
from apps.identity.api.integration import LegalHashApi, PersonHashApi, StaffUsersApi
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
router.register("addresses", DeliveryAddressViewSet, basename="identity-address")

urlpatterns = [
    path("token/", TokenApi.as_view(), name="identity-token"),
    path("me/", MeApi.as_view(), name="identity-me"),
    path("qr-login/confirm/", QrLoginConfirmApi.as_view(), name="identity-qr-login-confirm"),
    path("password/", PasswordChangeApi.as_view(), name="identity-password-change"),
    path("portal-users/", PortalUserCreateApi.as_view(), name="identity-portal-user-create"),
    path("portal-users/<int:pk>/", PortalUserUpdateApi.as_view(), name="identity-portal-user-update"),
    path("duplicates/<str:field>/", DuplicateCheckApi.as_view(), name="identity-duplicate-check"),
    path("login/alipay/", AlipayLoginApi.as_view(), name="identity-alipay-login"),
    path("face/compare/", FaceCompareApi.as_view(), name="identity-face-compare"),
    path("real-name/<str:method>/", RealNameVerifyApi.as_view(), name="identity-real-name-verify"),
    path("staff-users/", StaffUsersApi.as_view(), name="identity-staff-users"),
    path("hash/person/", PersonHashApi.as_view(), name="identity-hash-person"),
    path("hash/legal/", LegalHashApi.as_view(), name="identity-hash-legal"),
    path("mobile/person/check/", mobile.PersonCheckApi.as_view(), name="identity-mobile-person-check"),
    path("mobile/person/register/", mobile.PersonRegisterApi.as_view(), name="identity-mobile-person-register"),
    path("mobile/person/four-elements/", mobile.PersonElementsApi.as_view(), name="identity-mobile-person-elements"),
    path("mobile/legal/check/", mobile.LegalCheckApi.as_view(), name="identity-mobile-legal-check"),
    path("mobile/legal/register/", mobile.LegalRegisterApi.as_view(), name="identity-mobile-legal-register"),
    path("mobile/legal/four-elements/", mobile.LegalElementsApi.as_view(), name="identity-mobile-legal-elements"),
    path("mobile/sms-code/", mobile.SmsCodeApi.as_view(), name="identity-mobile-sms-code"),
    path("mobile/login/", mobile.MobileLoginApi.as_view(), name="identity-mobile-login"),
    path("mobile/ticket-userinfo/", mobile.TicketUserInfoApi.as_view(), name="identity-mobile-ticket-userinfo"),
    *router.urls,
]
