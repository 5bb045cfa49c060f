"""Demo 信息发布 (PORTAL-5.1): three columns of the provincial bureau on the work-portal home page
(one with a sub-column, one categorised, one in the side area) with a few published articles, and the public
自贸区专栏 / 对俄服务专区 (PORTAL-0.2, the Russia zone's articles bilingual).
Idempotent: columns are found by name and organisation, articles by title and column."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.portal.demo.data import PROVINCE_BUREAU

COLUMNS = [
    # name, parent, position, display mode, categorised, order
    ("政务要闻", None, "home_main", "title_summary", False, 10),
    ("通知公告", None, "home_main", "title_list", True, 20),
    ("工作动态", None, "home_side", "title_list", False, 30),
    ("市地动态", "工作动态", "home_side", "title_list", False, 10),
    ("自贸试验区政策", None, "public_ftz", "title_summary", False, 40),           # PORTAL-0.2
    ("对俄经贸与通关", None, "public_russia", "title_summary", False, 50),
]
ARTICLES = {
    "政务要闻": [("全省一体化在线政务服务平台工作推进会召开", "", "会议部署了下一阶段“一网通办”重点任务。"),
             ("“高效办成一件事”新增十项服务", "", "覆盖企业开办、不动产登记等高频事项。")],
    "通知公告": [("关于做好办件月报填报工作的通知", "通知", ""),
             ("关于开展政务服务“好差评”数据核查的通知", "通知", ""),
             ("政务服务事项目录调整公告", "公告", "")],
    "工作动态": [("省营商局开展窗口服务质量抽查", "", "")],
    "市地动态": [("哈尔滨市推行“一窗受理”全覆盖", "", ""), ("齐齐哈尔市上线企业服务专区", "", "")],
    "自贸试验区政策": [("黑龙江自贸试验区哈尔滨片区企业开办一日办结", "", "企业开办全流程网上办理，一个工作日内办结。"),
                 ("绥芬河片区跨境贸易便利化措施发布", "", "推行“提前申报”“两步申报”等通关模式。")],
    "对俄经贸与通关": [("绥芬河口岸货物通关指南", "", "货物进出境申报、查验与放行流程。")],
}
# Russian versions of the Russia-facing zone's articles (中俄双语): title, summary, body
RUSSIAN = {
    "绥芬河口岸货物通关指南": ("Руководство по таможенному оформлению грузов в пункте пропуска Суйфэньхэ",
                      "Порядок декларирования, досмотра и выпуска грузов.",
                      "1. Подача декларации.\n2. Досмотр.\n3. Выпуск грузов. (демонстрационные данные)"),
}


def build_columns(log=print) -> int:
    from apps.core.models import Organisation
    from apps.portal.models import Article, ContentColumn

    organisation = Organisation.objects.filter(name=PROVINCE_BUREAU).first()
    if organisation is None:
        return 0
    columns, created = {}, 0
    for name, parent, position, mode, categorised, order in COLUMNS:
        columns[name], _ = ContentColumn.objects.get_or_create(
            name=name, organisation=organisation,
            defaults={"parent": columns.get(parent), "position": position, "display_mode": mode,
                      "is_categorised": categorised, "order": order})
    now = timezone.now()
    for name, items in ARTICLES.items():
        for index, (title, category, summary) in enumerate(items):
            _, made = Article.objects.get_or_create(
                title=title, column=columns[name],
                defaults={"category": category, "summary": summary, "is_published": True,
                          "published_at": now - timedelta(days=index, hours=2),
                          "body": f"{title}。\n（演示数据）{summary}", **_russian(title)})
            created += made
    log(f"信息发布：{len(columns)} 个栏目，新增 {created} 条信息")
    return created


def _russian(title: str) -> dict:
    if title not in RUSSIAN:
        return {}
    title_ru, summary_ru, body_ru = RUSSIAN[title]
    return {"title_ru": title_ru, "summary_ru": summary_ru, "body_ru": body_ru}
