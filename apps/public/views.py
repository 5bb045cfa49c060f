from django.contrib.auth import views as auth_views
from django.views.generic import TemplateView

from apps.public.forms import PublicAuthenticationForm


class HomeView(TemplateView):
    template_name = "public/home.html"


class PublicLoginView(auth_views.LoginView):
    template_name = "public/login.html"
    authentication_form = PublicAuthenticationForm
    redirect_authenticated_user = True
    next_page = "public:home"


class PublicLogoutView(auth_views.LogoutView):
    next_page = "public:home"
