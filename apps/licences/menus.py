"""Menu entries of licences (imported by LicencesConfig.ready)."""
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import MenuEntry, register_menu

SECTION = str(_("电子证照与印章"))

register_menu(
    MenuEntry(SECTION, str(_("证照检索")), "licences:licence-list", "licences.view_licence", 10, 40),
    MenuEntry(SECTION, str(_("电子印章")), "licences:seal-list", "licences.view_seal", 20, 40),
)
