"""Archive bags and their handover list (ACC-7.15, 7.18)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.acceptance.models import ArchiveBag, BagHandover, Case, MaterialMedium
from apps.acceptance.services.onewindow import require_handler
from apps.core.services.audit import audit_record


@transaction.atomic
def archive_bag_open(*, case: Case, actor) -> ArchiveBag:
    """Package the received paper materials of a case into its archive bag, held by the accepting unit."""
    case = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    require_handler(actor, case)
    if ArchiveBag.objects.filter(case=case).exists():
        raise ValidationError(_("该办件已有档案袋。"))
    if not case.materials.filter(received=True).exclude(medium=MaterialMedium.ELECTRONIC).exists():
        raise ValidationError(_("该办件没有已收取的纸质材料，无需封装档案袋。"))
    bag = ArchiveBag.objects.create(case=case, bag_number=f"DA{case.case_number}", holder=case.organisation.name,
                                    opened_by=actor)
    audit_record(actor=actor, action="create", obj=bag)
    return bag


@transaction.atomic
def bag_handover(*, bag: ArchiveBag, actor, to_party: str, note: str = "") -> BagHandover:
    """材料交接: the bag goes from its current holder to `to_party`; the history is append-only."""
    bag = ArchiveBag.objects.select_for_update().select_related("case").get(pk=bag.pk)
    require_handler(actor, bag.case)
    to_party = (to_party or "").strip()
    if not to_party:
        raise ValidationError({"to_party": _("请填写接收方。")})
    if to_party == bag.holder:
        raise ValidationError({"to_party": _("接收方与当前保管方相同。")})
    handover = BagHandover.objects.create(bag=bag, from_party=bag.holder, to_party=to_party[:100],
                                          note=(note or "").strip()[:300], handed_by=actor)
    bag.holder = handover.to_party
    bag.save(update_fields=["holder"])
    audit_record(actor=actor, action="update", obj=bag, detail=f"交接：{handover.from_party} → {handover.to_party}")
    return handover
