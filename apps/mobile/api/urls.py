from django.urls import path, re_path

from apps.mobile.api import views

urlpatterns = [
    path("resources/", views.ResourceListApi.as_view(), name="mobile-resource-list"),
    path("resources/review/", views.ResourceReviewApi.as_view(), name="mobile-resource-review"),
    path("apps/", views.AppListApi.as_view(), name="mobile-app-list"),
    path("apps/<str:identifier>/open/", views.AppOpenApi.as_view(), name="mobile-app-open"),
    path("apps/<str:identifier>/close/", views.AppCloseApi.as_view(), name="mobile-app-close"),
    path("channels/<slug:channel>/apps/", views.ChannelCatalogueApi.as_view(), name="mobile-channel-apps"),
    path("components/user/", views.UserComponentApi.as_view(), name="mobile-component-user"),
    path("components/messages/", views.MessageComponentApi.as_view(), name="mobile-component-messages"),
    re_path(r"^gateway/(?P<code>[-\w]+)/(?P<path>.*)$", views.gateway_view, name="mobile-gateway"),
]
