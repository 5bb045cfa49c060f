"""Public site shell: home page, login/logout for natural and legal persons, and the zones the work portal
publishes to (自贸区专栏, 对俄服务专区)."""
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
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
        context.update(personal_tiles=PERSONAL_TILES, business_tiles=BUSINESS_TILES, hot_words=HOT_WORDS)
        return context


class PublicLoginView(auth_views.LoginView):
    template_name = "public/login.html"
    authentication_form = PublicAuthenticationForm
    redirect_authenticated_user = True
    next_page = "public:home"


class PublicLogoutView(auth_views.LogoutView):
    next_page = "public:home"


# --- 自贸区专栏 and 对俄服务专区 (PORTAL-0.2): content columns the portal publishes to the public site ---------

ZONE_TITLES = {"ftz": _("自贸区专栏"), "russia": _("对俄服务专区")}
ZONE_INTROS = {
    "ftz": _("中国（黑龙江）自由贸易试验区哈尔滨、黑河、绥芬河片区的政策发布、办事指南与服务动态。"),
    "russia": _("面向俄罗斯公民和企业的签证、投资、贸易与通关服务信息，中俄双语发布。"),
}


def _zone_position(zone: str) -> str:
    from apps.portal.models import PUBLIC_ZONES

    if zone not in PUBLIC_ZONES:
        raise Http404
    return PUBLIC_ZONES[zone]


def zone_page(request, zone: str):
    """A public zone: its columns and their latest articles, in the visitor's language where translated."""
    from apps.portal.selectors_columns import zone_blocks

    blocks = zone_blocks(_zone_position(zone))
    language = get_language()
    columns = [{"column": block.column,
                "articles": [{"pk": a.pk, "published_at": a.published_at, **a.localised(language)}
                             for a in block.articles]} for block in blocks]
    return render(request, "public/zone.html", {"zone": zone, "title": ZONE_TITLES[zone], "intro": ZONE_INTROS[zone],
                                                "columns": columns, "bilingual": zone == "russia"})


def zone_article_page(request, zone: str, pk: int):
    from apps.portal.selectors_columns import zone_article

    article = zone_article(pk=pk, position=_zone_position(zone))
    if article is None:
        raise Http404
    return render(request, "public/zone_article.html", {
        "zone": zone, "zone_title": ZONE_TITLES[zone], "article": article,
        "shown": article.localised(get_language()), "bilingual": zone == "russia"})
