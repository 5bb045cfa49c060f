from django.urls import path

from apps.ops.views import access, alerts, assets, help as help_views, ipam, screens, work_orders

app_name = "ops"
urlpatterns = [
    path("ipam/", ipam.SubnetListView.as_view(), name="subnets"),
    path("ipam/<int:pk>/", ipam.SubnetDetailView.as_view(), name="subnet-detail"),
    path("screens/", screens.ScreenListView.as_view(), name="screens"),
    path("screens/new/", screens.ScreenEditView.as_view(), name="screen-create"),
    path("screens/<int:pk>/", screens.ScreenEditView.as_view(), name="screen-edit"),
    path("screens/<int:pk>/display/", screens.ScreenDisplayView.as_view(), name="screen-display"),
    path("help/", help_views.HelpView.as_view(), name="help"),
    path("login/verify/", access.LoginVerifyView.as_view(), name="login-verify"),
    path("account/second-factor/", access.SecondFactorView.as_view(), name="second-factor"),
    path("work-orders/", work_orders.WorkOrderListView.as_view(), name="work-orders"),
    path("work-orders/dashboard/", work_orders.WorkOrderDashboardView.as_view(), name="work-order-dashboard"),
    path("work-orders/<int:pk>/", work_orders.WorkOrderDetailView.as_view(), name="work-order-detail"),
    path("work-orders/<int:pk>/<slug:action>/", work_orders.WorkOrderActionView.as_view(), name="work-order-action"),
    path("alerts/", alerts.AlertListView.as_view(), name="alerts"),
    path("alerts/<int:pk>/", alerts.AlertDetailView.as_view(), name="alert-detail"),
    path("alerts/<int:pk>/work-order/", alerts.AlertWorkOrderCreateView.as_view(), name="alert-work-order"),
    path("assets/hosts/", assets.HostListView.as_view(), name="hosts"),
    path("assets/hosts/new/", assets.HostCreateView.as_view(), name="host-create"),
    path("assets/websites/", assets.WebsiteListView.as_view(), name="websites"),
    path("assets/websites/new/", assets.WebsiteEditView.as_view(), name="website-create"),
    path("assets/websites/<int:pk>/", assets.WebsiteEditView.as_view(), name="website-edit"),
    path("assets/websites/<int:pk>/delete/", assets.WebsiteDeleteView.as_view(), name="website-delete"),
    path("assets/websites/<int:pk>/probe/", assets.WebsiteProbeView.as_view(), name="website-probe"),
    path("assets/situation/", assets.AssetSituationView.as_view(), name="situation"),
    path("assets/findings/import/", assets.FindingImportView.as_view(), name="finding-import"),
]
