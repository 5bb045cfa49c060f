"""Portal pages: password initialisation by a city/county 营商局 (MAT-7.6) and the staff member's
own password change (forced after an initialisation)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View

from apps.identity.models import User
from apps.identity.services import password_reset as services
from apps.identity.services.password import user_change_password


class PasswordResetListView(LoginRequiredMixin, View):
    """The actor's region is shown directly; search by department name, login account, user name."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.may_reset_passwords(request.user):
            raise PermissionDenied(_("仅营商环境建设监督局的授权人员可以初始化登录密码。"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        filters = {key: request.GET.get(key, "") for key in ("department", "username", "full_name")}
        rows = services.resettable_users(actor=request.user, **filters)
        page = Paginator(rows, 20).get_page(request.GET.get("page"))
        organisation = request.user.organisation
        return render(request, "identity/password_reset_list.html", {
            "page_obj": page, "rows": page.object_list, "filters": filters,
            "region": organisation.region if organisation else None})

    def post(self, request):
        target = User.objects.filter(pk=request.POST.get("user") or 0).first()
        try:
            if target is None:
                raise PermissionDenied(_("该账号不在您所在区划的管理范围内。"))
            services.user_password_reset(user=target, actor=request.user, request=request)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(request.get_full_path())
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("已初始化“%(name)s”的登录密码，设置新密码的一次性链接已通过短信发送给本人。")
                             % {"name": target.full_name or target.username})
        return redirect(request.get_full_path())


class OwnPasswordChangeView(LoginRequiredMixin, View):
    """Change one's own password; required before anything else after an initialisation."""

    def render_page(self, errors=None, status=200):
        return render(self.request, "identity/password_change.html",
                      {"errors": errors or {}, "forced": self.request.user.password_must_change}, status=status)

    def get(self, request):
        return self.render_page()

    def post(self, request):
        if request.POST.get("new_password") != request.POST.get("new_password_confirm"):
            return self.render_page({"new_password_confirm": [_("两次输入的新密码不一致。")]}, status=400)
        try:
            user_change_password(user=request.user, old_password=request.POST.get("old_password", ""),
                                 new_password=request.POST.get("new_password", ""))
        except ValidationError as exc:
            return self.render_page(exc.message_dict, status=400)
        request.user.refresh_from_db()
        update_session_auth_hash(request, request.user)
        messages.success(request, _("密码已修改。"))
        return redirect("portal:home" if request.user.is_staff_user else "public:home")


class PasswordInitLinkView(View):
    """The one-time link of the initialisation SMS: the staff member sets a new password (no login)."""

    template_name = "identity/password_init.html"

    def render_page(self, token, errors=None, status=200):
        link = services.password_link_get(token=token)
        return render(self.request, self.template_name, {"link": link, "errors": errors or {}},
                      status=status if link else 410)

    def get(self, request, token):
        return self.render_page(token)

    def post(self, request, token):
        try:
            user = services.password_link_use(token=token, new_password=request.POST.get("new_password", ""),
                                              confirm=request.POST.get("new_password_confirm", ""))
        except ValidationError as exc:
            return self.render_page(token, exc.message_dict, status=400)
        messages.success(request, _("新密码已设置，请使用新密码登录。"))
        return redirect("portal:login" if user.is_staff_user else "public:login")


public_urlpatterns = [
    path("password-init/<str:token>/", PasswordInitLinkView.as_view(), name="password-init"),
]

urlpatterns = [
    path("password-resets/", PasswordResetListView.as_view(), name="password-reset-list"),
    path("password/", OwnPasswordChangeView.as_view(), name="password-change"),
]
