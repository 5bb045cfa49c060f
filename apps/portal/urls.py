from django.urls import path

from apps.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", views.PortalLogoutView.as_view(), name="logout"),
]
