from django.urls import path

from apps.portal import views
from apps.portal.views import monthly

app_name = "portal"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", views.PortalLogoutView.as_view(), name="logout"),
    # 办件月报 (PORTAL-11)
    path("monthly/fill/", monthly.MonthlyReportFillView.as_view(), name="monthly-fill"),
    path("monthly/statistics/central-provincial/", monthly.CentralProvincialStatisticsView.as_view(),
         name="monthly-statistics-central-provincial"),
    path("monthly/statistics/city-bureau/", monthly.CityBureauStatisticsView.as_view(),
         name="monthly-statistics-city-bureau"),
    path("monthly/statistics/city-other/", monthly.CityOtherStatisticsView.as_view(),
         name="monthly-statistics-city-other"),
    path("monthly/locks/", monthly.MonthlyLockView.as_view(), name="monthly-locks"),
]
