from django.urls import path, re_path

from apps.analytics.views import charts, clients, datasets, embed, logs, roles

app_name = "analytics"
urlpatterns = [
    path("", charts.DashboardView.as_view(), name="dashboard"),
    path("charts/<str:code>/", charts.ChartView.as_view(), name="chart"),
    path("datasets/", datasets.DatasetListView.as_view(), name="dataset-list"),
    path("datasets/refresh/", datasets.DatasetRefreshView.as_view(), name="dataset-refresh"),
    path("datasets/<str:code>/", datasets.DatasetDetailView.as_view(), name="dataset-detail"),
    re_path(r"^datasets/(?P<code>[a-z])/(?P<action>enable|disable)/$", datasets.DatasetToggleView.as_view(),
            name="dataset-toggle"),
    path("logs/", logs.DataLogListView.as_view(), name="log-list"),
    path("logs/<int:pk>/", logs.DataLogDetailView.as_view(), name="log-detail"),
    path("clients/", clients.ClientListView.as_view(), name="client-list"),
    path("clients/add/", clients.ClientCreateView.as_view(), name="client-add"),
    path("clients/<int:pk>/", clients.ClientDetailView.as_view(), name="client-detail"),
    re_path(r"^clients/(?P<pk>\d+)/(?P<action>enable|disable|rotate)/$", clients.ClientActionView.as_view(), name="client-action"),
    path("roles/", roles.RolesView.as_view(), name="roles"),
    path("embed/<str:code>/", embed.EmbedChartView.as_view(), name="embed"),
]
