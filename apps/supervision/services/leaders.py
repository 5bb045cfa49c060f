"""The "一把手走流程" column (PORTAL-3.1): publishing activity information and notices."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.supervision.models import LeaderPost, LeaderPostKind

PUBLISH = "supervision.add_leaderpost"


def leader_post_publish(*, kind: str, title: str, content: str, actor) -> LeaderPost:
    """Publish one post under the actor's organisation and region (visible to all staff)."""
    if not actor.has_perm(PUBLISH) or getattr(actor, "organisation", None) is None:
        raise PermissionDenied(_("您没有发布一把手走流程信息的权限。"))
    errors = {}
    if kind not in LeaderPostKind.values:
        errors["kind"] = [_("请选择类别。")]
    if not (title or "").strip():
        errors["title"] = [_("请填写标题。")]
    if not (content or "").strip():
        errors["content"] = [_("请填写内容。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        post = LeaderPost.objects.create(kind=kind, title=title.strip()[:200], content=content.strip(),
                                         region=actor.organisation.region, organisation=actor.organisation,
                                         created_by=actor)
        audit_record(actor=actor, action="create", obj=post)
    return post
