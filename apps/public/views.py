"""Public site shell: home page and login/logout for natural and legal persons."""
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from apps.public.forms import PublicAuthenticationForm

PERSONAL_TILES = [
    {"glyph": "户", "title": _("户籍办理"), "text": _("迁入迁出、户口登记")},
    {"glyph": "社", "title": _("社保医保"), "text": _("参保缴费、待遇领取")},
    {"glyph": "证", "title": _("证件办理"), "text": _("身份证、居住证")},
    {"glyph": "学", "title": _("教育入学"), "text": _("入学报名、学历认证")},
]
BUSINESS_TILES = [
    {"glyph": "企", "title": _("开办企业"), "text": _("设立登记、刻章、申领发票")},
    {"glyph": "许", "title": _("许可审批"), "text": _("经营许可、资质认定")},
    {"glyph": "税", "title": _("纳税缴费"), "text": _("申报纳税、社保缴费")},
    {"glyph": "照", "title": _("电子证照"), "text": _("营业执照、电子印章")},
]
HOT_WORDS = [_("营业执照"), _("社保卡"), _("公积金"), _("不动产登记"), _("出入境")]


class HomeView(TemplateView):
    template_name = "public/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(query=self.request.GET.get("q", "").strip()[:100], personal_tiles=PERSONAL_TILES,
                       business_tiles=BUSINESS_TILES, hot_words=HOT_WORDS)
        return context


class PublicLoginView(auth_views.LoginView):
    template_name = "public/login.html"
    authentication_form = PublicAuthenticationForm
    redirect_authenticated_user = True
    next_page = "public:home"


class PublicLogoutView(auth_views.LogoutView):
    next_page = "public:home"
