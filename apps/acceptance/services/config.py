"""System configuration lists (ACC-16.x): one save/delete path for every list, scope-checked and audited."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from apps.core.scope import can_see
from apps.core.services.audit import audit_record


def _permission(model, action: str) -> str:
    return f"acceptance.{action}_{model._meta.model_name}"


def config_save(*, form, actor):
    """Save a bound, valid ModelForm of a configuration model. The saved object must lie in the actor's
    scope (its unit or region), otherwise nothing is written."""
    model = form._meta.model
    is_new = form.instance.pk is None
    if not actor.has_perm(_permission(model, "add" if is_new else "change")):
        raise PermissionDenied(_("您没有维护该配置的权限。"))
    if not is_new and not can_see(actor, model._default_manager.get(pk=form.instance.pk)):
        raise PermissionDenied(_("该配置不在您的管理范围内。"))
    with transaction.atomic():
        obj = form.save()
        if not can_see(actor, obj):
            raise PermissionDenied(_("所选单位或区划不在您的管理范围内。"))
        audit_record(actor=actor, action="create" if is_new else "update", obj=obj)
    return obj


def config_delete(*, obj, actor) -> None:
    if not actor.has_perm(_permission(type(obj), "delete")) or not can_see(actor, obj):
        raise PermissionDenied(_("您没有删除该配置的权限。"))
    try:
        with transaction.atomic():
            audit_record(actor=actor, action="delete", obj=obj)
            obj.delete()
    except ProtectedError:
        raise ValidationError(_("该记录已被使用，不能删除。")) from None
