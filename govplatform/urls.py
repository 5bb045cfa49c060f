"""URL map of the four surfaces: public site /, work portal /portal/, admin /admin/, API /api/v1/."""
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.portal.views.shell import admin_login_redirect

api_v1 = [
    path("core/", include("apps.core.api.urls")),
    path("identity/", include("apps.identity.api.urls")),
    path("matters/", include("apps.matters.api.urls")),
    path("licences/", include("apps.licences.api.urls")),
    path("acceptance/", include("apps.acceptance.api.urls")),
    path("supervision/", include("apps.supervision.api.urls")),
    path("reviews/", include("apps.reviews.api.urls")),
    path("stores/", include("apps.stores.api.urls")),
    path("servicemap/", include("apps.servicemap.api.urls")),
    path("mobile/", include("apps.mobile.api.urls")),
    path("analytics/", include("apps.analytics.api.urls")),
    path("ops/", include("apps.ops.api.urls")),
]

urlpatterns = [
    path("admin/login/", admin_login_redirect, name="admin-login"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("portal/core/", include("apps.core.urls")),
    path("portal/identity/", include("apps.identity.urls")),
    path("portal/matters/", include("apps.matters.urls")),
    path("portal/licences/", include("apps.licences.urls")),
    path("portal/acceptance/", include("apps.acceptance.urls")),
    path("portal/supervision/", include("apps.supervision.urls")),
    path("portal/reviews/", include("apps.reviews.urls")),
    path("portal/stores/", include("apps.stores.urls")),
    path("portal/servicemap/", include("apps.servicemap.urls")),
    path("portal/mobile/", include("apps.mobile.urls")),
    path("portal/analytics/", include("apps.analytics.urls")),
    path("portal/ops/", include("apps.ops.urls")),
    path("portal/", include("apps.portal.urls")),
    path("sso/", include("apps.identity.sso_urls")),
    path("matters/", include("apps.matters.public_urls")),
    path("licences/", include("apps.licences.public_urls")),
    path("acceptance/", include("apps.acceptance.public_urls")),
    path("supervision/", include("apps.supervision.public_urls")),
    path("reviews/", include("apps.reviews.public_urls")),
    path("stores/", include("apps.stores.public_urls")),
    path("map/", include("apps.servicemap.public_urls")),
    path("", include("apps.public.urls")),
]
