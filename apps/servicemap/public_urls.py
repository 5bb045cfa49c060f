from django.urls import path

from apps.servicemap.views import public

app_name = "servicemap-public"
urlpatterns = [
    path("", public.map_home, name="map"),
    path("search/", public.search_page, name="search"),
    path("suggest/", public.suggest, name="suggest"),
    path("halls/<int:pk>/", public.hall_detail, name="hall"),
    path("windows/<int:pk>/", public.window_detail, name="window"),
    path("windows/<int:pk>/<str:action>/", public.window_service, name="window-service"),
    path("code/", public.code_send, name="code"),
]
