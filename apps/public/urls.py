from django.urls import path

from apps.public import views

app_name = "public"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("login/", views.PublicLoginView.as_view(), name="login"),
    path("logout/", views.PublicLogoutView.as_view(), name="logout"),
    path("zones/<slug:zone>/", views.zone_page, name="zone"),
    path("zones/<slug:zone>/<int:pk>/", views.zone_article_page, name="zone-article"),
]
