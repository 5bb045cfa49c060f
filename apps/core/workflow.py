"""Workflow history (流转记录): record every state change of any model and show it.

    record_transition(obj=complaint, from_state="pending_review", to_state="approved",
                      actor=request.user, action="approve", comment="材料齐全")
    history_for(complaint)                       # QuerySet, oldest first
    {% include "core/_timeline.html" with transitions=transitions %}

State machines (plain methods or django-fsm-2 `@transition` methods) plug in through
`apply_transition`, which captures the old state, runs the method, saves the state field
and writes the history row in one step, inside the caller's transaction:

    class Complaint(models.Model):
        status = FSMField(choices=ComplaintStatus.choices, default="pending_review")
        @transition(field=status, source="pending_review", target="approved")
        def approve(self): ...

    apply_transition(complaint, "approve", actor=user, comment="同意")
"""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from apps.core.models import StateTransition

SYSTEM_ACTOR_NAME = "系统"


def _actor_name(actor) -> str:
    if actor is None:
        return SYSTEM_ACTOR_NAME
    return (getattr(actor, "full_name", "") or getattr(actor, "username", "") or str(actor))[:128]


def record_transition(*, obj: models.Model, from_state: str, to_state: str, actor,
                      action: str = "", comment: str = "") -> StateTransition:
    """Append one history row for `obj` (never updates an existing row)."""
    return StateTransition.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        from_state=from_state or "",
        to_state=to_state,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor),
        comment=comment,
    )


def history_for(obj: models.Model) -> models.QuerySet[StateTransition]:
    """Every transition of `obj`, oldest first, with the actor loaded (one query)."""
    return (StateTransition.objects
            .filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
            .select_related("actor")
            .order_by("at", "pk"))


def timeline_for(obj: models.Model, *, state_field: str = "status") -> list[StateTransition]:
    """history_for(obj) with `from_label`/`to_label` taken from the state field's choices."""
    labels = dict(obj._meta.get_field(state_field).flatchoices) if state_field else {}
    transitions = list(history_for(obj))
    for item in transitions:
        item.from_label = str(labels.get(item.from_state, item.from_state))
        item.to_label = str(labels.get(item.to_state, item.to_state))
    return transitions


def apply_transition(obj: models.Model, method: str, *, actor, comment: str = "", state_field: str = "status",
                     **kwargs) -> StateTransition:
    """Run the transition method `method` of `obj`, save its state, and record the history row.

    Works for django-fsm-2 `@transition` methods (which raise TransitionNotAllowed when the
    source state does not fit) and for plain methods that set the state field.
    """
    from_state = getattr(obj, state_field)
    getattr(obj, method)(**kwargs)
    obj.save(update_fields=[state_field])
    return record_transition(obj=obj, from_state=from_state, to_state=getattr(obj, state_field),
                             actor=actor, action=method, comment=comment)
