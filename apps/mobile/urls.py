from django.urls import path

from apps.mobile.views import apps, centre, interfaces, monitoring, scenarios

app_name = "mobile"
urlpatterns = [
    path("", centre.DeveloperCentreView.as_view(), name="centre"),
    path("standards/", centre.StandardsView.as_view(), name="standards"),
    path("scenarios/", scenarios.ScenarioLibraryView.as_view(), name="scenarios"),
    path("scenarios/<int:pk>/", scenarios.ScenarioDetailView.as_view(), name="scenario-detail"),
    path("resources/", interfaces.ResourceListView.as_view(), name="resource-list"),
    path("resources/new/", interfaces.ResourceCreateView.as_view(), name="resource-create"),
    path("resources/<int:pk>/", interfaces.ResourceDetailView.as_view(), name="resource-detail"),
    path("resources/<int:pk>/edit/", interfaces.ResourceEditView.as_view(), name="resource-edit"),
    path("resources/<int:pk>/<slug:action>/", interfaces.ResourceActionView.as_view(), name="resource-action"),
    path("catalogues/", interfaces.CatalogueListView.as_view(), name="catalogues"),
    path("review/", interfaces.ReviewQueueView.as_view(), name="review-queue"),
    path("review/withdrawals/<int:pk>/", interfaces.WithdrawalReviewView.as_view(), name="withdrawal-review"),
    path("review/subscriptions/<int:pk>/", interfaces.SubscriptionReviewView.as_view(), name="subscription-review"),
    path("subscriptions/", interfaces.SubscriptionCatalogueView.as_view(), name="subscriptions"),
    path("running/", interfaces.RunningInterfacesView.as_view(), name="running"),
    path("operations/", interfaces.OperationsView.as_view(), name="operations"),
    path("logs/", interfaces.InterfaceLogView.as_view(), name="logs"),
    path("apps/mine/", apps.MyAppListView.as_view(), name="my-apps"),
    path("apps/", apps.AppAdminListView.as_view(), name="app-list"),
    path("apps/new/", apps.AppCreateView.as_view(), name="app-create"),
    path("apps/review/", apps.AppReviewQueueView.as_view(), name="app-review-queue"),
    path("apps/<int:pk>/", apps.AppDetailView.as_view(), name="app-detail"),
    path("apps/<int:pk>/edit/", apps.AppEditView.as_view(), name="app-edit"),
    path("apps/<int:pk>/dev/<slug:action>/", apps.AppDeveloperActionView.as_view(), name="app-dev-action"),
    path("apps/<int:pk>/admin/<slug:action>/", apps.AppAdminActionView.as_view(), name="app-admin-action"),
    path("reports/<int:pk>/", apps.DetectionReportView.as_view(), name="detection-report"),
    path("components/", apps.ComponentAdminView.as_view(), name="components-admin"),
    path("anomalies/", monitoring.AnomalyListView.as_view(), name="anomalies"),
    path("anomalies/<int:pk>/<slug:action>/", monitoring.AnomalyActionView.as_view(), name="anomaly-action"),
    path("statistics/", monitoring.AppStatisticsView.as_view(), name="statistics"),
]
