"""Electronic supervision: due-soon warning, yellow and red cards, each once, with SMS."""
import pytest
from django.utils import timezone

from apps.core.calendar import add_working_days
from apps.supervision.models import Complaint, EarlyWarning, WarningLevel
from apps.supervision.services.warnings import deadline_scan
from apps.supervision.services.workflow import complaint_step
from apps.supervision.tasks import deadline_scan_task
from apps.supervision.tests.factories import file_complaint

pytestmark = pytest.mark.django_db


def test_warning_yellow_and_red_cards_with_sms(people, orgs, sms_simulator, django_capture_on_commit_callbacks):
    complaint = file_complaint()
    complaint_step(complaint=complaint, action="accept", actor=people["harbin"])
    complaint_step(complaint=complaint, action="assign", actor=people["harbin"], department=orgs["harbin_dept"])
    deadline = Complaint.objects.get(pk=complaint.pk).deadline
    sms_simulator.reset()
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_scan(now=add_working_days(deadline, 0) - timezone.timedelta(hours=2)) == 1
        assert deadline_scan(now=deadline - timezone.timedelta(hours=1)) == 0           # once per level
        assert deadline_scan(now=deadline + timezone.timedelta(hours=1)) == 1
        assert deadline_scan(now=add_working_days(deadline, 4)) == 1
    levels = list(EarlyWarning.objects.order_by("raised_at").values_list("level", flat=True))
    assert levels == [WarningLevel.WARNING, WarningLevel.YELLOW_CARD, WarningLevel.RED_CARD]
    texts = [(m["mobile"], m["content"][:8]) for m in sms_simulator.messages]
    assert texts == [("13900000013", "【电子监察预警】"), ("13900000013", "【电子监察黄牌】"),
                     ("13900000013", "【电子监察红牌】"), ("13900000012", "【电子监察红牌】")]


def test_done_complaints_raise_nothing_and_task_runs(people, orgs):
    complaint = file_complaint()
    complaint_step(complaint=complaint, action="accept", actor=people["harbin"])
    complaint_step(complaint=complaint, action="reply", actor=people["harbin"], comment="已答复")
    complaint_step(complaint=complaint, action="close", actor=people["harbin"])
    Complaint.objects.filter(pk=complaint.pk).update(deadline=timezone.now() - timezone.timedelta(days=30))
    assert deadline_scan_task.apply().get() == 0 and not EarlyWarning.objects.exists()
