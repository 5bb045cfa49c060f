from django.urls import path

from apps.analytics.api import views

urlpatterns = [
    path("datasets/", views.TopicDatasetListApi.as_view(), name="api-analytics-datasets"),
    path("datasets/refresh/", views.TopicDatasetRefreshApi.as_view(), name="api-analytics-datasets-refresh"),
    path("charts/<str:code>/", views.ChartApi.as_view(), name="api-analytics-chart"),
    path("embed/charts/<str:code>/", views.EmbedChartApi.as_view(), name="api-analytics-embed-chart"),
    path("visits/", views.VisitIngestApi.as_view(), name="api-analytics-visits"),
    path("logs/", views.DataLogListApi.as_view(), name="api-analytics-logs"),
]
