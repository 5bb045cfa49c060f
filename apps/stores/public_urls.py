from django.urls import path

from apps.stores.views import queries

app_name = "stores-public"
urlpatterns = [
    path("queries/", queries.zone, name="query-zone"),
    path("queries/<slug:code>/", queries.ServiceView.as_view(), name="query-service"),
]
