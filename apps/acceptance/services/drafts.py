"""草稿箱 (ACC-7.19): save an unfinished window intake, list it, continue it, discard it."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from apps.acceptance.models import CaseDraft
from apps.acceptance.services.cases import ACCEPT_PERMISSION
from apps.core.scope import can_see

MAX_DRAFTS_PER_USER = 200


def _ids(values) -> list[int]:
    return sorted({int(v) for v in values if str(v).isdigit()})


def draft_save(*, actor, item, applicant_name: str = "", applicant_id_number: str = "", applicant_mobile: str = "",
               internal_review_opinion: str = "", situations=(), received=(), draft: CaseDraft | None = None,
               **_ignored) -> CaseDraft:
    """Save (or overwrite) the actor's draft; nothing is validated beyond lengths — it is a draft —
    but only a window clerk who may handle the item saves one, and only into their own drafts."""
    if not actor.has_perm(ACCEPT_PERMISSION) or not can_see(actor, item):
        raise PermissionDenied(_("您没有窗口受理权限。"))
    if draft is not None and draft.owner_id != actor.pk:
        raise PermissionDenied(_("只能修改自己的草稿。"))
    if len(applicant_name) > 128 or len(applicant_id_number) > 18 or len(applicant_mobile) > 11:
        raise ValidationError(_("草稿内容过长。"))
    with transaction.atomic():
        if draft is None and CaseDraft.objects.filter(owner=actor).count() >= MAX_DRAFTS_PER_USER:
            raise ValidationError(_("草稿箱已满（%(n)s 份），请先办理或删除旧草稿。") % {"n": MAX_DRAFTS_PER_USER})
        draft = draft or CaseDraft(owner=actor)
        draft.item = item
        draft.applicant_name = applicant_name.strip()
        draft.applicant_id_number = applicant_id_number.strip().upper()
        draft.applicant_mobile = applicant_mobile.strip()
        draft.internal_review_opinion = (internal_review_opinion or "").strip()[:2000]
        draft.situations, draft.received = _ids(situations), _ids(received)
        draft.save()
    return draft


def draft_list(*, user, query: str = ""):
    drafts = CaseDraft.objects.filter(owner=user).select_related("item")
    if query.strip():
        from django.db.models import Q

        drafts = drafts.filter(Q(item__name__icontains=query.strip()) | Q(applicant_name__icontains=query.strip()))
    return drafts


def access_draft(user, pk) -> CaseDraft:
    draft = CaseDraft.objects.filter(owner=user, pk=pk).select_related("item").first() if str(pk).isdigit() else None
    if draft is None:
        raise Http404
    return draft


def draft_discard(*, draft: CaseDraft, actor) -> None:
    if draft.owner_id != actor.pk:
        raise PermissionDenied(_("只能删除自己的草稿。"))
    draft.delete()
