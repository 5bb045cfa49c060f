from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/login.html"


class PortalLogoutView(auth_views.LogoutView):
    next_page = "portal:login"


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "portal/home.html"
