"""The "允许多条实施清单" switch and the business-item list (MAT-2.2.1)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from apps.matters.models import BusinessItem, ImplementationSetting
from apps.matters.services.kernel import AuditAction, audit_record, require_permission


def _own_region(actor, region) -> None:
    organisation = getattr(actor, "organisation", None)
    if not getattr(actor, "is_system_admin", False) and (
            organisation is None or not region.code.startswith(organisation.region.prefix)):
        raise PermissionDenied(_("只能配置本区划（或下级区划）。"))


def implementation_setting_set(*, actor, region, allow_multiple: bool) -> ImplementationSetting:
    require_permission(actor, "matters.change_implementationsetting")
    _own_region(actor, region)
    setting, _created = ImplementationSetting.objects.update_or_create(
        region=region, defaults={"allow_multiple": bool(allow_multiple), "updated_by": actor})
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=setting, changes={"allow_multiple": [None, allow_multiple]})
    return setting


def business_item_add(*, actor, region, catalogue_item, code: str, name: str) -> BusinessItem:
    """One entry of the region's business-item list, split the same way region-wide."""
    require_permission(actor, "matters.add_businessitem")
    _own_region(actor, region)
    if not code.strip().isdigit() or len(code.strip()) > 8 or not name.strip():
        raise ValidationError(_("请填写业务项编码（数字，最多8位）和名称。"))
    item = BusinessItem(region=region, catalogue_item=catalogue_item, code=code.strip(), name=name.strip())
    item.full_clean()
    item.save()
    return item
