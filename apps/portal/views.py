"""Portal shell: staff login/logout and the staff inbox (pending tasks from every app)."""
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.core.navigation import inbox_for
from apps.core.views.mixins import StaffRequiredMixin
from apps.portal.forms import StaffAuthenticationForm


class PortalLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = True


class PortalLogoutView(auth_views.LogoutView):
    next_page = "portal:login"

    def post(self, request, *args, **kwargs):
        messages.info(request, _("您已安全退出。"))
        return super().post(request, *args, **kwargs)


class HomeView(StaffRequiredMixin, TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inbox = inbox_for(self.request.user)
        now = timezone.now()
        context["inbox"] = inbox
        context["overdue_count"] = sum(1 for item in inbox if item.due_at and item.due_at < now)
        return context
