"""File generation service (文件生成服务, LIC-9.11) for connected business systems:

* composition — data + a signing template's layout (LIC-9.7: page size, title, fields with position and
  size) → an OFD written by our writer, sealed by the business's signing rule (LIC-9.8) at the rule's
  position, returned as OFD and/or PDF (the PDF is rendered from the sealed OFD, seal picture included);
* conversion — an OFD → PDF (our renderer; the PDF is for printing and carries no digital signature).

Every sealed file is logged like any automatic signing (LIC-9.10)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ..models import SigningRule, SigningTemplate
from ..ofd.package import OFDError, OFDPackage
from ..ofd.render import render_pdf
from ..ofd.writer import OFDWriter
from .autosign import _position
from .grants import business_system_for_token
from .signing import MAX_DOCUMENT_BYTES, document_sign

FORMATS = ("ofd", "pdf", "both")


def layout_check(layout: dict) -> dict:
    """Validate a template layout; returns it normalised."""
    if not isinstance(layout, dict) or not isinstance(layout.get("fields"), list) or not layout["fields"]:
        raise ValidationError({"layout": _("版式需要至少一个字段。")})
    try:
        width, height = float(layout.get("width_mm", 210)), float(layout.get("height_mm", 297))
        fields = [{"key": str(f["key"]), "label": str(f.get("label", "")), "x": float(f["x"]), "y": float(f["y"]),
                   "size": float(f.get("size", 4.2)), "required": bool(f.get("required", True))}
                  for f in layout["fields"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError({"layout": _("版式字段应包含 key、x、y（毫米）。")}) from exc
    if not (50 <= width <= 1200 and 50 <= height <= 1200):
        raise ValidationError({"layout": _("页面尺寸应在 50–1200 毫米之间。")})
    if any(not (0 <= f["x"] <= width and 0 <= f["y"] <= height and 1 <= f["size"] <= 40) for f in fields):
        raise ValidationError({"layout": _("字段位置超出页面或字号不在 1–40 毫米之间。")})
    return {"width_mm": width, "height_mm": height, "title": str(layout.get("title", ""))[:128], "fields": fields}


def compose_ofd(template: SigningTemplate, data: dict) -> bytes:
    """The unsealed document: the layout's title and each field's label and value at its position."""
    layout = layout_check(template.layout)
    missing = [f["label"] or f["key"] for f in layout["fields"]
               if f["required"] and not str(data.get(f["key"], "")).strip()]
    if missing:
        raise ValidationError({"data": _("缺少字段：%(f)s。") % {"f": "、".join(missing)}})
    writer = OFDWriter(width_mm=layout["width_mm"], height_mm=layout["height_mm"], title=layout["title"] or template.name)
    page = writer.add_page()
    if layout["title"]:
        page.text(0, 20, layout["title"], size=8, align="center", width=layout["width_mm"], bold=True)
    for f in layout["fields"]:
        value = str(data.get(f["key"], ""))[:500]
        page.text(f["x"], f["y"], f"{f['label']}：{value}" if f["label"] else value, size=f["size"])
    return writer.build()


def document_generate(*, token: str, business_code: str, data: dict, fmt: str = "ofd",
                      ip_address: str | None = None) -> dict[str, bytes]:
    """Compose and seal a document for a connected business system; returns {"ofd": …, "pdf": …}."""
    system = business_system_for_token(token)
    if fmt not in FORMATS:
        raise ValidationError(_("格式只能是 ofd、pdf 或 both。"))
    if not isinstance(data, dict):
        raise ValidationError(_("data 应为对象。"))
    rule = (SigningRule.objects.select_related("template", "seal", "certificate", "signer")
            .filter(system=system, business_code=business_code).first())
    if rule is None:
        raise PermissionDenied(_("业务“%(b)s”没有配置签章规则。") % {"b": business_code})
    if not rule.template.is_enabled or not rule.template.layout:
        raise ValidationError(_("签章模板已停用或没有版式。"))
    unsigned = compose_ofd(rule.template, data)
    signed = document_sign(actor=rule.signer, seal=rule.seal, certificate=rule.certificate, data=unsigned,
                           position=_position(rule.template, rule.position, rule.seal),
                           document_name=f"{business_code}.ofd", ip_address=ip_address, client=system.code,
                           request_message={"system": system.code, "business": business_code, "mode": "generate",
                                            "template": rule.template.code, "fields": sorted(data)[:50]}).data
    result = {}
    if fmt in ("ofd", "both"):
        result["ofd"] = signed
    if fmt in ("pdf", "both"):
        result["pdf"] = render_pdf(signed)
    return result


def document_convert(*, token: str, data: bytes) -> bytes:
    """OFD → PDF for a connected business system."""
    business_system_for_token(token)
    if not data or len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("文件为空或超过 20MB。"))
    try:
        OFDPackage(data)
        return render_pdf(data)
    except (OFDError, ValueError, KeyError) as exc:
        raise ValidationError(_("不是有效的 OFD 文件：%(e)s") % {"e": exc}) from exc
