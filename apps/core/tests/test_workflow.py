"""Workflow history: append-only transitions for any model, shown as a timeline."""
from datetime import datetime, timezone as dt_timezone

import pytest
from django.db import transaction
from django.template.loader import render_to_string

from apps.core.models import OutboxMessage, OutboxStatus, StateTransition
from apps.core.outbox import enqueue, register_peer
from apps.core.workflow import apply_transition, history_for, record_transition, timeline_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(django_capture_on_commit_callbacks):
    register_peer("workflow-test", lambda m: None)
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        return enqueue(peer="workflow-test", kind="t", payload={}, idempotency_key="wf-1")


def test_history_records_who_when_from_to_and_comment(message, staff, django_assert_num_queries):
    reviewer = staff["province"]
    record_transition(obj=message, from_state="pending", to_state="dead", actor=None, action="dead",
                      comment="HTTP 400")
    record_transition(obj=message, from_state="dead", to_state="pending", actor=reviewer, action="retry",
                      comment="对端已修复")
    with django_assert_num_queries(1):
        rows = list(history_for(message))
        names = [row.actor.username if row.actor else None for row in rows]     # actor loaded with the rows
    assert [(r.from_state, r.to_state, r.actor_name) for r in rows] == [
        ("pending", "dead", "系统"), ("dead", "pending", reviewer.full_name)]
    assert names == [None, reviewer.username]


def test_history_is_per_object_and_works_for_string_keys(message, regions):
    harbin = regions["230100000000"]
    record_transition(obj=harbin, from_state="", to_state="published", actor=None)
    record_transition(obj=message, from_state="pending", to_state="delivered", actor=None)
    assert [t.to_state for t in history_for(harbin)] == ["published"]
    assert isinstance(harbin.pk, str) and history_for(harbin).get().object_id == harbin.pk == "230100000000"
    assert [t.to_state for t in history_for(message)] == ["delivered"]


def test_actor_name_is_a_snapshot(message, staff):
    actor = staff["harbin"]
    record_transition(obj=message, from_state="pending", to_state="dead", actor=actor)
    actor.full_name = "改名后"
    actor.save(update_fields=["full_name"])
    assert history_for(message).get().actor_name != "改名后"


def test_apply_transition_runs_the_method_saves_and_records(message, staff):
    def give_up():                                  # stands in for a django-fsm-2 @transition method
        message.status = OutboxStatus.DEAD

    message.give_up = give_up
    row = apply_transition(message, "give_up", actor=staff["province"], comment="人工终止")
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.DEAD
    assert (row.from_state, row.to_state, row.action) == ("pending", "dead", "give_up")


def test_timeline_shows_labels_and_shanghai_time(message, staff):
    row = record_transition(obj=message, from_state="pending", to_state="dead", actor=staff["qiqihar"],
                            comment="号码停机")
    StateTransition.objects.filter(pk=row.pk).update(at=datetime(2026, 3, 1, 1, 30, tzinfo=dt_timezone.utc))
    html = render_to_string("core/_timeline.html", {"transitions": timeline_for(message)})
    assert "2026-03-01 09:30:00" in html                 # UTC 01:30 is 09:30 in Asia/Shanghai
    assert "待投递" in html and "投递失败" in html and "号码停机" in html
    assert staff["qiqihar"].full_name in html
    assert "暂无流转记录" in render_to_string("core/_timeline.html", {"transitions": []})
