"""Registrations of the region / organisation area (imported by CoreConfig.ready): portal menu
entries, the review-queue inbox provider, and the Celery hook that keeps one outbox peer per
organisation subscriber registered in every worker."""
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import InboxItem, MenuEntry, register_inbox, register_menu

_SECTION = _("组织机构")

register_menu(
    MenuEntry(section=_SECTION, label=_("区划信息"), url_name="core:region-list", permission="core.view_region",
              order=10, section_order=800),
    MenuEntry(section=_SECTION, label=_("机构信息"), url_name="core:organisation-list",
              permission="core.view_organisation", order=20, section_order=800),
    MenuEntry(section=_SECTION, label=_("机构变更申请"), url_name="core:orgchange-mine",
              permission="core.add_organisationchangerequest", order=30, section_order=800),
    MenuEntry(section=_SECTION, label=_("机构变更审核"), url_name="core:orgchange-queue",
              permission="core.review_organisationchangerequest", order=40, section_order=800),
    MenuEntry(section=_("系统配置"), label=_("数据来源配置"), url_name="core:datasource-list",
              permission="core.view_datasourcecode", order=60, section_order=900),
)


def review_inbox(user):
    """Pending organisation change requests the user may review."""
    from apps.core.selectors.organisations import change_requests_to_review

    for request in change_requests_to_review(user=user)[:50]:
        yield InboxItem(title=str(request), url=request.get_absolute_url(), category=str(_("机构变更审核")),
                        created_at=request.submitted_at,
                        extra={"applicant": request.applicant_organisation.name})


register_inbox("core.org_change_review", review_inbox)

# Registers the outbox sender for every "org_subscriber:<id>" peer.
import apps.core.adapters.org_subscriber  # noqa: E402,F401
