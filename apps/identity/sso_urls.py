"""/sso/: the unified identity service — OIDC provider, CAS, ticket mode, and the public
registration / login / account pages of 统一身份认证."""
from django.urls import include, path

from apps.identity.sso import oidc
from apps.identity.sso import views as sso
from apps.identity.views import addresses as address_views
from apps.identity.views import national as national_views
from apps.identity.views import password_reset as password_reset_views
from apps.identity.views import public as public_views
from apps.identity.views import staff_registration
from apps.identity.views import thirdparty as thirdparty_views

app_name = "sso"
urlpatterns = [
    # OIDC (django-oauth-toolkit); our authorize view adds the kind / real-name-level gate.
    path("o/authorize/", sso.OidcAuthorizationView.as_view(), name="oidc-authorize"),
    # the library's token and user-info endpoints with less work per call (decision 0208)
    path("o/token/", oidc.IdentityTokenView.as_view(), name="oidc-token"),
    path("o/userinfo/", oidc.IdentityUserInfoView.as_view(), name="oidc-userinfo"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    # CAS 2.0 / 3.0
    path("cas/login", sso.CasLoginView.as_view(), name="cas-login"),
    path("cas/serviceValidate", sso.CasServiceValidateView.as_view(), name="cas-service-validate"),
    path("cas/p3/serviceValidate", sso.CasServiceValidateView.as_view(), name="cas-p3-service-validate"),
    path("cas/logout", sso.CasLogoutView.as_view(), name="cas-logout"),
    # ticket → token → user info (reference.md 3.5), multi-ticket (IDN-14.5)
    path("ticket/", sso.TicketIssueView.as_view(), name="ticket-issue"),
    path("api/ticket/token", sso.TicketTokenView.as_view(), name="ticket-token"),
    path("api/userinfo", sso.TicketUserInfoView.as_view(), name="ticket-userinfo"),
    path("api/ticket/multi", sso.MultiTicketView.as_view(), name="ticket-multi"),
    *password_reset_views.public_urlpatterns,
    *staff_registration.urlpatterns,
    *public_views.urlpatterns,
    *national_views.urlpatterns,
    *thirdparty_views.urlpatterns,
    *address_views.urlpatterns,
]
