"""Forms of the window services on the public window page (MAP-1.7.1 – 1.7.3)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

LEVELS = [(1, "非常满意"), (2, "满意"), (3, "基本满意"), (4, "不满意"), (5, "非常不满意")]


class CodeForm(forms.Form):
    mobile_number = forms.CharField(label=_("手机号码"), max_length=11)
    purpose = forms.ChoiceField(choices=[("booking", "预约"), ("consultation", "咨询"), ("evaluation", "评价")])


class BookingForm(forms.Form):
    matter = forms.TypedChoiceField(label=_("预约事项"), coerce=int)
    slot = forms.TypedChoiceField(label=_("办理时间段"), coerce=int, required=False)
    date = forms.DateField(label=_("预约日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    period = forms.ChoiceField(label=_("办理时间段"), required=False,
                               choices=[("", "请选择"), ("09:00-10:00", "09:00-10:00"), ("10:00-11:00", "10:00-11:00"),
                                        ("13:30-14:30", "13:30-14:30"), ("14:30-15:30", "14:30-15:30"),
                                        ("15:30-16:30", "15:30-16:30")])
    booker_name = forms.CharField(label=_("预约人姓名"), max_length=64)
    mobile_number = forms.CharField(label=_("手机号码"), max_length=11)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18, required=False)
    code = forms.CharField(label=_("短信验证码"), max_length=6)

    def __init__(self, *args, matters=(), slots=(), own_system=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].choices = [(wm.matter_id, wm.matter.name) for wm in matters]
        self.fields["slot"].choices = [("", "请选择")] + [
            (s.pk, f"{s.date:%m-%d} {s.period_label} {s.bookable_matter.matter.name}（余{s.capacity - s.booked_count}）")
            for s in slots if not s.is_full]
        if own_system:
            del self.fields["slot"]
        else:
            del self.fields["date"], self.fields["period"]


class ConsultationForm(forms.Form):
    matter = forms.TypedChoiceField(label=_("咨询事项"), coerce=int)
    title = forms.CharField(label=_("咨询标题"), max_length=100)
    question = forms.CharField(label=_("详细问题"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    consultant_name = forms.CharField(label=_("咨询人"), max_length=64, required=False)
    mobile_number = forms.CharField(label=_("手机号码"), max_length=11)
    code = forms.CharField(label=_("短信验证码"), max_length=6)

    def __init__(self, *args, matters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].choices = [(wm.matter_id, wm.matter.name) for wm in matters]


class EvaluationForm(forms.Form):
    application_number = forms.CharField(label=_("事项申请编号"), max_length=50)
    target = forms.ChoiceField(label=_("评价对象"))
    level = forms.TypedChoiceField(label=_("评价等级"), choices=LEVELS, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("评价内容"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    code = forms.CharField(label=_("短信验证码"), max_length=6)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("window", "本窗口")] + [
            (f"staff:{ws.staff_id}", f"工作人员 {ws.staff.front_identifier or ws.staff.name}") for ws in staff]
