from django.urls import path

from apps.portal import views
from apps.portal.views import columns, monthly, totp

app_name = "portal"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("login/totp/", totp.TotpView.as_view(), name="totp"),
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
    # 信息发布 (PORTAL-5.1): management
    path("columns/", columns.ColumnListView.as_view(), name="column-list"),
    path("columns/editing/", columns.ColumnListView.as_view(), name="column-list-articles"),  # 信息维护 menu entry
    path("columns/add/", columns.ColumnEditView.as_view(), name="column-add"),
    path("columns/<int:pk>/edit/", columns.ColumnEditView.as_view(), name="column-edit"),
    path("columns/<int:pk>/delete/", columns.ColumnDeleteView.as_view(), name="column-delete"),
    path("columns/<int:pk>/articles/", columns.ArticleListView.as_view(), name="column-articles"),
    path("columns/<int:pk>/articles/add/", columns.ArticleEditView.as_view(), name="article-add"),
    path("articles/<int:article_pk>/edit/", columns.ArticleEditView.as_view(), name="article-edit"),
    path("articles/<int:article_pk>/delete/", columns.ArticleDeleteView.as_view(), name="article-delete"),
    # 信息发布: reading (every staff user)
    path("news/<int:pk>/", columns.ColumnPageView.as_view(), name="column-page"),
    path("news/article/<int:article_pk>/", columns.ArticleDetailView.as_view(), name="article-detail"),
]
