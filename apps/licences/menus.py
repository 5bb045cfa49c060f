"""Menu entries and inbox providers of licences (imported by LicencesConfig.ready)."""
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import InboxItem, MenuEntry, register_inbox, register_menu
from apps.core.outbox import register_peer

from .peers.national import PEER as NATIONAL_PEER, send_catalogue

register_peer(NATIONAL_PEER, send_catalogue)

SECTION = str(_("电子证照与印章"))
SHARING = str(_("电子证照共享"))

register_menu(
    MenuEntry(SECTION, str(_("证照办理")), "licences:work-list", "licences.view_licence", 5, 40),
    MenuEntry(SECTION, str(_("证照录入")), "licences:licence-enter", "licences.add_licence", 6, 40),
    MenuEntry(SECTION, str(_("证照检索")), "licences:licence-list", "licences.view_licence", 10, 40),
    MenuEntry(SECTION, str(_("电子印章")), "licences:seal-list", "licences.view_seal", 20, 40),
    MenuEntry(SECTION, str(_("印章申请")), "licences:seal-apply", "licences.add_seal", 25, 40),
    MenuEntry(SECTION, str(_("印章制发单位")), "licences:seal-issuers", "licences.view_sealissuer", 26, 40),
    MenuEntry(SECTION, str(_("制章单位")), "licences:seal-makers", "licences.view_sealmaker", 27, 40),
    MenuEntry(SECTION, str(_("数字证书")), "licences:certificates", "licences.view_signingcertificate", 28, 40),
    MenuEntry(SECTION, str(_("文件签章")), "licences:document-sign", "licences.use_seal", 29, 40),
    MenuEntry(SECTION, str(_("证照基础信息填报")), "licences:filing-list", "licences.view_licencefiling", 30, 40),
    MenuEntry(SECTION, str(_("证照分类规则")), "licences:category-list", "licences.view_licencecategory", 40, 40),
    MenuEntry(SECTION, str(_("证照模板")), "licences:template-list", "licences.view_licencetemplate", 50, 40),
    MenuEntry(SECTION, str(_("证照批量导入")), "licences:import", "licences.add_licence", 60, 40),
    MenuEntry(SECTION, str(_("国标证照档案")), "licences:archive", "licences.view_licence", 70, 40),
    MenuEntry(SECTION, str(_("到期证照提示")), "licences:expiring", "licences.view_licence", 80, 40),
    MenuEntry(SECTION, str(_("证照统计")), "licences:statistics", "licences.view_licence", 90, 40),
    MenuEntry(SECTION, str(_("证照数据下载")), "licences:valid-download", "licences.view_licence", 100, 40),
    MenuEntry(SECTION, str(_("证照数据清除")), "licences:purge", "licences.delete_licence", 110, 40),
    MenuEntry(SECTION, str(_("印章授权")), "licences:seal-grants", "licences.view_sealgrant", 120, 40),
    MenuEntry(SECTION, str(_("签章规则")), "licences:signing-rules", "licences.view_signingrule", 130, 40),
    MenuEntry(SECTION, str(_("签章日志")), "licences:signing-logs", "licences.view_signinglog", 140, 40),
    MenuEntry(SECTION, str(_("用章监管")), "licences:seal-usage", "licences.view_signinglog", 145, 40),
    MenuEntry(SECTION, str(_("证照目录申请")), "licences:catalogue-requests", "licences.view_catalogueentryrequest",
              150, 40),
    MenuEntry(SHARING, str(_("接口配置")), "licences:sharing-interfaces", "licences.view_sharinginterface", 10, 41),
    MenuEntry(SHARING, str(_("应用接入")), "licences:sharing-applications", "licences.view_sharingapplication", 20, 41),
    MenuEntry(SHARING, str(_("证照访问权")), "licences:sharing-rights", "licences.view_licenceapigrant", 30, 41),
    MenuEntry(SHARING, str(_("接口路由")), "licences:sharing-routes", "licences.view_licenceroute", 40, 41),
    MenuEntry(SHARING, str(_("汇聚证照目录")), "licences:aggregated-catalogue", "licences.view_cataloguerecord",
              50, 41),
    MenuEntry(SHARING, str(_("证照目录梳理")), "licences:catalogue-sorting", "licences.change_cataloguerecord",
              55, 41),
    MenuEntry(SHARING, str(_("统计已共享证照")), "licences:shared-statistics", "licences.view_cataloguesyncevent",
              60, 41),
    MenuEntry(SHARING, str(_("证照生成接入")), "licences:generation-channels", "licences.view_sharingapplication",
              65, 41),
    MenuEntry(SHARING, str(_("证照共享日志")), "licences:sharing-logs", "licences.view_sharinglog", 70, 41),
)


def expiring_inbox(user):
    """To-do: valid licences in the user's scope that expire within 30 days (LIC-1.22 reminder)."""
    if not user.has_perm("licences.view_licence"):
        return []
    from django.urls import reverse

    from .selectors import expiring_licences

    count = expiring_licences(user, within_days=30).count()
    if not count:
        return []
    return [InboxItem(title=str(_("%(n)s 个证照将在 30 天内到期") % {"n": count}),
                      url=reverse("licences:expiring"), category=str(_("到期证照提示")))]


def filing_review_inbox(user):
    if not user.has_perm("licences.review_licencefiling"):
        return []
    from django.urls import reverse

    from apps.core.scope import restrict

    from .models import FilingStatus, LicenceFiling

    count = restrict(LicenceFiling.objects.filter(status=FilingStatus.SUBMITTED), user).count()
    if not count:
        return []
    return [InboxItem(title=str(_("%(n)s 条证照基础信息待审核") % {"n": count}),
                      url=reverse("licences:filing-list") + "?status=submitted", category=str(_("证照基础信息审核")))]


def licence_work_inbox(user):
    """To-do: licences in the user's scope awaiting review or sealing, for those who may do it."""
    wanted = [(status, perm) for status, perm in (("in_review", "licences.review_licence"),
                                                  ("awaiting_sealing", "licences.seal_licence"))
              if user.has_perm(perm)]
    if not wanted:
        return []
    from django.db.models import Count, Q
    from django.urls import reverse

    from apps.core.scope import restrict

    from .models import Licence

    counts = restrict(Licence.objects.all(), user).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status, _perm in wanted})
    titles = {"in_review": _("%(n)s 个证照待审核"), "awaiting_sealing": _("%(n)s 个证照待盖章")}
    return [InboxItem(title=str(titles[status]) % {"n": counts[status]},
                      url=reverse("licences:work-list") + f"?tab={status}", category=str(_("证照办理")))
            for status, _perm in wanted if counts[status]]


register_inbox("licences.expiring", expiring_inbox)
register_inbox("licences.work", licence_work_inbox)
register_inbox("licences.filing_review", filing_review_inbox)
