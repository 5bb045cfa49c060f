from django.urls import path

from apps.public import views

app_name = "public"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
]
