"""Portal shell: staff login/logout and the staff inbox (pending tasks from every app)."""
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.core.navigation import inbox_for
from apps.core.views.mixins import StaffRequiredMixin
from apps.portal.forms import StaffAuthenticationForm
from apps.portal.selectors_columns import home_blocks


class PortalLoginView(auth_views.LoginView):
    """Staff login. A logged-in staff user goes straight on; a logged-in public user sees the form
    (with a note) instead of being bounced to a page they may not open."""

    template_name = "portal/login.html"
    authentication_form = StaffAuthenticationForm

    @property
    def redirect_authenticated_user(self):
        user = self.request.user
        return user.is_authenticated and (getattr(user, "is_staff_user", False) or user.is_superuser)

    def form_valid(self, form):
        # Privileged staff: a TOTP code next (decision 0214); others: OPS-5.5's optional SMS / e-mail code.
        # Both respect the concurrent-session limit (apps.ops.services.access).
        from django.shortcuts import redirect

        from apps.identity.services.totp import totp_required
        from apps.ops.services.access import LoginRefused, login_gate, session_limit_check, session_register
        from apps.portal.views.totp import totp_pending_start

        user = form.get_user()
        try:
            if totp_required(user):
                session_limit_check(user)
                totp_pending_start(self.request, user, next_url=self.get_success_url())
                return redirect("portal:totp")
            code_page = login_gate(self.request, user, next_url=self.get_success_url())
        except LoginRefused as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        if code_page:
            return redirect(code_page)
        response = super().form_valid(form)
        session_register(self.request, user)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["public_user_signed_in"] = user.is_authenticated and not self.redirect_authenticated_user
        return context


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
        context["news"] = home_blocks()          # 信息发布 (PORTAL-5.1): two queries however many columns
        return context


def admin_login_redirect(request):
    """/admin/login/ → the portal login, so administrators pass the same lockout, captcha and TOTP step."""
    from django.contrib.auth.views import redirect_to_login
    from django.urls import reverse

    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("portal:login"))
