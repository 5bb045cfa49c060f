"""Form management (表单管理, ACC-16.8): create, copy, save a draft version, publish, disable, export and
import JSON templates, bind a form to an item. Every write checks permission and scope and is audited."""
from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.acceptance.models.forms import Form, FormKind, FormPart, FormStatus, FormVersion, ItemForm
from apps.acceptance.services.forms import KEY_RE, form_schema_validate, schema_merge
from apps.core.models import Organisation
from apps.core.scope import can_see, restrict
from apps.core.services.audit import audit_record

EXPORT_FORMAT = "heilongjiang-acceptance-form/1"
MAX_IMPORT_BYTES = 512 * 1024


def _require(actor, action: str, form: Form | None = None, organisation=None) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(f"acceptance.{action}_form"):
        raise PermissionDenied(_("您没有维护表单的权限。"))
    if form is not None and not can_see(actor, form):
        raise PermissionDenied(_("该表单不在您的管理范围内。"))
    if organisation is not None and not restrict(Organisation.objects.filter(pk=organisation.pk), actor).exists():
        raise PermissionDenied(_("所选单位不在您的管理范围内。"))


def _clean_identity(code: str, name: str) -> tuple[str, str]:
    code, name = (code or "").strip().lower(), (name or "").strip()
    if not KEY_RE.match(code.replace("-", "_")):
        raise ValidationError({"code": [_("表单编码须以小写字母开头，只含小写字母、数字、下划线和连字符。")]})
    if not name or len(name) > 100:
        raise ValidationError({"name": [_("请填写不超过100字的表单名称。")]})
    return code, name


def _new_form(*, code, name, kind, organisation, actor, description="") -> Form:
    code, name = _clean_identity(code, name)
    try:
        with transaction.atomic():
            return Form.objects.create(code=code, name=name, kind=kind, organisation=organisation, creator=actor,
                                       description=(description or "")[:300])
    except IntegrityError:
        raise ValidationError({"code": [_("表单编码“%(c)s”已被使用。") % {"c": code}]}) from None


def _published_parts(parts) -> list[Form]:
    parts = list(parts)
    if len(parts) < 2:
        raise ValidationError({"parts": [_("聚合表单至少要选择两个子表单。")]})
    for part in parts:
        if part.kind != FormKind.SINGLE or part.status != FormStatus.PUBLISHED:
            raise ValidationError({"parts": [_("子表单“%(n)s”须为已发布的单表单。") % {"n": part.name}]})
    return parts


@transaction.atomic
def form_create(*, code: str, name: str, organisation, actor, kind: str = FormKind.SINGLE, parts=(),
                schema: dict | None = None, description: str = "") -> Form:
    """单表单 with an optional first draft schema, or 聚合表单 over published single forms."""
    _require(actor, "add", organisation=organisation)
    if kind not in FormKind.values:
        raise ValidationError({"kind": [_("表单类型无效。")]})
    if kind == FormKind.COMBINED:
        parts = _published_parts(parts)
        merged = schema_merge([(p.code, latest_published(p).schema) for p in parts])
    elif schema is not None:
        merged = form_schema_validate(schema)
    form = _new_form(code=code, name=name, kind=kind, organisation=organisation, actor=actor,
                     description=description)
    for position, part in enumerate(parts if kind == FormKind.COMBINED else []):
        FormPart.objects.create(form=form, part=part, position=position)
    if kind == FormKind.COMBINED or schema is not None:
        FormVersion.objects.create(form=form, number=1, schema=merged, created_by=actor)
    audit_record(actor=actor, action="create", obj=form)
    return form


def latest_published(form: Form) -> FormVersion | None:
    return form.versions.filter(published_at__isnull=False).order_by("-number").first()


def current_draft(form: Form) -> FormVersion | None:
    latest = form.versions.order_by("-number").first()
    return latest if latest is not None and not latest.is_published else None


def _locked(form: Form) -> Form:
    return Form.objects.select_for_update().get(pk=form.pk)


@transaction.atomic
def form_version_save(*, form: Form, schema, actor) -> FormVersion:
    """Save the designer's schema as the draft version; a published version is never changed — after a
    publication the next save opens a new version."""
    _require(actor, "change", form)
    form = _locked(form)
    if form.kind == FormKind.COMBINED:
        raise ValidationError(_("聚合表单由子表单自动合并生成，请修改子表单后重新发布。"))
    if form.status == FormStatus.DISABLED:
        raise ValidationError(_("表单已停用，不能修改。"))
    schema = form_schema_validate(schema)
    draft = current_draft(form)
    if draft is None:
        latest = form.versions.order_by("-number").first()
        draft = FormVersion(form=form, number=(latest.number + 1) if latest else 1)
    draft.schema, draft.created_by = schema, actor
    draft.save()
    audit_record(actor=actor, action="update", obj=form, detail=f"保存表单 {form.code} 第 {draft.number} 版草稿")
    return draft


@transaction.atomic
def form_publish(*, form: Form, actor) -> FormVersion:
    """Publish the draft version (a combined form re-merges its sub-forms' latest published versions)."""
    _require(actor, "change", form)
    form = _locked(form)
    if form.kind == FormKind.COMBINED:
        parts = _published_parts(p.part for p in form.part_links.select_related("part"))
        schema = schema_merge([(p.code, latest_published(p).schema) for p in parts])
        draft = current_draft(form)
        if draft is None:
            latest = form.versions.order_by("-number").first()
            draft = FormVersion(form=form, number=(latest.number + 1) if latest else 1, created_by=actor)
        draft.schema = schema
    else:
        draft = current_draft(form)
        if draft is None and form.status == FormStatus.DISABLED and latest_published(form):
            draft = latest_published(form)                      # re-enable: the published version again
        elif draft is None:
            raise ValidationError(_("没有待发布的草稿版本，请先在设计器中保存表单。"))
        form_schema_validate(draft.schema)
    if not draft.is_published:
        draft.published_at = timezone.now()
        draft.save()
    form.status = FormStatus.PUBLISHED
    form.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="update", obj=form, detail=f"发布表单 {form.code} 第 {draft.number} 版")
    return draft


@transaction.atomic
def form_disable(*, form: Form, actor) -> Form:
    """停用: the form is no longer offered; items bound to it fall back to the plain application page."""
    _require(actor, "change", form)
    form = _locked(form)
    if form.status == FormStatus.DISABLED:
        raise ValidationError(_("表单已停用。"))
    form.status = FormStatus.DISABLED
    form.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="update", obj=form, detail=f"停用表单 {form.code}")
    return form


@transaction.atomic
def form_copy(*, form: Form, code: str, name: str, actor) -> Form:
    """复制: a new single form in the same unit whose draft is the source's latest schema."""
    _require(actor, "view", form)
    source = form.versions.order_by("-number").first()
    copy = form_create(code=code, name=name, organisation=form.organisation, actor=actor,
                       schema=source.schema if source else None, description=form.description)
    audit_record(actor=actor, action="create", obj=copy, detail=f"复制自表单 {form.code}")
    return copy


def form_export(*, form: Form, actor) -> dict:
    """模板导出: the latest schema as a JSON template another platform (or unit) can import."""
    _require(actor, "view", form)
    version = form.versions.order_by("-number").first()
    if version is None:
        raise ValidationError(_("表单还没有内容，不能导出。"))
    audit_record(actor=actor, action="export", obj=form, detail=f"导出表单模板 {form.code} 第 {version.number} 版")
    return {"format": EXPORT_FORMAT, "code": form.code, "name": form.name, "description": form.description,
            "version": version.number, "schema": version.schema}


def form_import(*, content: bytes, organisation, actor, code: str = "") -> Form:
    """模板导入: a JSON template becomes a new single form with a draft version — all or nothing."""
    _require(actor, "add", organisation=organisation)
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationError(_("模板文件不能超过 512 KB。"))
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(_("模板文件不是有效的 JSON。")) from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT or not isinstance(data.get("schema"), dict):
        raise ValidationError(_("不是本平台导出的表单模板。"))
    return form_create(code=code or str(data.get("code", "")), name=str(data.get("name", "")),
                       organisation=organisation, actor=actor, schema=data["schema"],
                       description=str(data.get("description", "")))


@transaction.atomic
def item_form_bind(*, item, form: Form | None, actor) -> ItemForm | None:
    """Which form the item's online application uses (None: unbind, back to the plain page)."""
    _require(actor, "change", form) if form is not None else _require(actor, "change")
    from apps.matters.models import ImplementationItem

    if not restrict(ImplementationItem.objects.filter(pk=item.pk), actor).exists():
        raise PermissionDenied(_("该事项不在您的管理范围内。"))
    if form is None:
        ItemForm.objects.filter(item=item).delete()
        audit_record(actor=actor, action="delete", obj=item, detail="解除事项表单绑定")
        return None
    if not Form.objects.filter(pk=form.pk, status=FormStatus.PUBLISHED).exists():
        raise ValidationError(_("只能绑定已发布的表单。"))
    binding, _created = ItemForm.objects.update_or_create(item=item, defaults={"form": form, "bound_by": actor})
    audit_record(actor=actor, action="update", obj=binding, detail=f"事项绑定表单 {form.code}")
    return binding
