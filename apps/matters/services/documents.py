"""Document templating (文书模板化, MAT-2.2.7): save templates whose placeholders are checked, and render
one for an item (the most specific template wins: the item's own, else the department's default)."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.matters.models import DocumentKind, DocumentTemplate
from apps.matters.services.kernel import require_in_scope, require_permission

PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
FIELDS = {
    "事项名称": lambda item, ctx: item.name,
    "实施编码": lambda item, ctx: item.implementation_code,
    "实施主体": lambda item, ctx: item.implementing_body.name,
    "办理地点": lambda item, ctx: item.handling_location,
    "承诺办结时限": lambda item, ctx: (_("当场办结") if item.is_immediate
                                  else _("%(n)s个工作日") % {"n": item.committed_limit_working_days}),
    "咨询电话": lambda item, ctx: item.consultation_phone,
    "监督电话": lambda item, ctx: item.supervision_phone,
    "申请人": lambda item, ctx: ctx.get("applicant", ""),
    "日期": lambda item, ctx: ctx.get("date") or timezone.localdate().strftime("%Y年%m月%d日"),
    "材料清单": lambda item, ctx: "\n".join(f"{i}. {m.name}" for i, m in enumerate(item.materials.all(), start=1)),
}


def document_template_save(*, actor, kind: str, name: str, body: str, item=None) -> DocumentTemplate:
    """Create or revise (version + 1) the department's template of `kind`, optionally for one item."""
    require_permission(actor, "matters.add_documenttemplate")
    if item is not None:
        require_in_scope(actor, item)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("请选择文书类型。")})
    if not name.strip() or not body.strip():
        raise ValidationError(_("请填写模板名称和正文。"))
    unknown = sorted(set(PLACEHOLDER.findall(body)) - set(FIELDS))
    if unknown:
        raise ValidationError({"body": _("模板中有无法识别的占位符：%(p)s") % {"p": "、".join(unknown)}})
    template = DocumentTemplate.objects.filter(department=actor.organisation, kind=kind,
                                               implementation_item=item).first()
    if template is None:
        template = DocumentTemplate(department=actor.organisation, kind=kind, implementation_item=item,
                                    created_by=actor, version=0)
    template.name, template.body, template.version = name.strip(), body, template.version + 1
    template.save()
    return template


def document_render(*, item, kind: str, context: dict | None = None) -> str:
    """The filled-in document of `kind` for `item`; refused when the department has no template."""
    template = (DocumentTemplate.objects.filter(kind=kind, department_id=item.implementing_body_id)
                .filter(Q(implementation_item=item) | Q(implementation_item__isnull=True))
                .order_by(F("implementation_item_id").desc(nulls_last=True)).first())
    if template is None:
        raise ValidationError(_("本部门尚未配置“%(k)s”模板。") % {"k": DocumentKind(kind).label})
    ctx = context or {}
    return PLACEHOLDER.sub(lambda m: str(FIELDS[m.group(1)](item, ctx)), template.body)
