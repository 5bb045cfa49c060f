from django.urls import path

from apps.stores.api import queries

urlpatterns = [
    path("queries/", queries.QueryServiceListApi.as_view(), name="stores-query-services"),
    path("queries/<slug:code>/", queries.QueryRunApi.as_view(), name="stores-query-run"),
]
