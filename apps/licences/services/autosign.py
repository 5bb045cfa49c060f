"""Automatic server-side signing (LIC-9.12) by signing rules (LIC-9.8): a connected business system
(LIC-9.1) names a business; the rule picks the seal, certificate, template position and the user on
whose grant the seal is used. Every document signed writes a signing log (LIC-9.10)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import BusinessSystem, SigningRule, SigningTemplate
from ..ofd.sign import StampPosition
from .grants import business_system_for_token
from .kernel import audit_record, require_in_scope, require_permission
from .signing import document_sign

MAX_BATCH = 50


def _position(template: SigningTemplate, key: str, seal) -> StampPosition:
    spec = (template.positions or {}).get(key)
    if not spec or len(spec) != 3:
        raise ValidationError(_("签章模板“%(t)s”没有盖章位置“%(p)s”。") % {"t": template.name, "p": key})
    page, x, y = spec
    return StampPosition(int(page), float(x), float(y), seal.width_mm, seal.height_mm)


def _check_positions(positions) -> dict:
    if not isinstance(positions, dict) or not positions:
        raise ValidationError({"positions": _("请至少配置一个盖章位置。")})
    for key, spec in positions.items():
        ok = isinstance(spec, (list, tuple)) and len(spec) == 3
        if not ok or not all(isinstance(v, (int, float)) and v >= 0 for v in spec):
            raise ValidationError({"positions": _("盖章位置“%(k)s”应为 [页码, X, Y]（毫米，非负）。") % {"k": key}})
    return positions


@transaction.atomic
def signing_template_save(*, actor, code: str, name: str, organisation, positions: dict,
                          layout: dict | None = None) -> SigningTemplate:
    """Create a signing template with its seal positions and, for file composition, its layout (LIC-9.7)."""
    from .generation import layout_check

    require_permission(actor, "licences.add_signingtemplate")
    require_in_scope(actor, organisation)
    if not (code or "").strip() or not (name or "").strip():
        raise ValidationError(_("请填写模板编码和名称。"))
    positions = _check_positions(positions)
    layout = layout_check(layout) if layout else {}
    try:
        with transaction.atomic():
            template = SigningTemplate.objects.create(code=code.strip(), name=name.strip(), organisation=organisation,
                                                      positions=positions, layout=layout)
    except IntegrityError as exc:
        raise ValidationError({"code": _("模板编码已存在。")}) from exc
    audit_record(actor=actor, action="create", obj=template, changes={"positions": [None, positions]})
    return template


@transaction.atomic
def signing_rule_save(*, actor, system: BusinessSystem, business_code: str, template: SigningTemplate,
                      position: str, seal, certificate, signer) -> SigningRule:
    """Bind a business to a seal and a template position (LIC-9.8)."""
    require_permission(actor, "licences.add_signingrule")
    require_in_scope(actor, seal)
    if not (business_code or "").strip():
        raise ValidationError({"business_code": _("请填写业务编码。")})
    _position(template, position, seal)
    if not seal.certificates.filter(pk=certificate.pk).exists():
        raise ValidationError({"certificate": _("该证书不在印章的签章证书列表中。")})
    rule, created = SigningRule.objects.update_or_create(
        system=system, business_code=business_code.strip(),
        defaults={"template": template, "position": position, "seal": seal, "certificate": certificate,
                  "signer": signer})
    audit_record(actor=actor, action="create" if created else "update", obj=rule,
                 changes={"seal": [None, seal.es_id], "position": [None, position]})
    return rule


def auto_sign(*, token: str, business_code: str, documents: list[tuple[str, bytes]],
              ip_address: str | None = None) -> list[bytes]:
    """Sign every document of the batch with the rule's seal at the rule's position; all or nothing."""
    system = business_system_for_token(token)
    rule = (SigningRule.objects.select_related("template", "seal", "certificate", "signer")
            .filter(system=system, business_code=business_code).first())
    if rule is None:
        raise PermissionDenied(_("业务“%(b)s”没有配置签章规则。") % {"b": business_code})
    if not rule.template.is_enabled:
        raise ValidationError(_("签章模板已停用。"))
    if not documents or len(documents) > MAX_BATCH:
        raise ValidationError(_("每批 1–%(n)s 个文件。") % {"n": MAX_BATCH})
    position = _position(rule.template, rule.position, rule.seal)
    signed = []
    with transaction.atomic():
        for name, data in documents:
            result = document_sign(actor=rule.signer, seal=rule.seal, certificate=rule.certificate, data=data,
                                   position=position, document_name=name, ip_address=ip_address,
                                   client=system.code,
                                   request_message={"system": system.code, "business": business_code,
                                                    "document": name, "bytes": len(data),
                                                    "template": rule.template.code, "position": rule.position})
            signed.append(result.data)
    return signed
