"""Forms of the portal and public pages (thin: services validate)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.acceptance.models import (
    BlacklistRule, BookableMatter, CalendarLabel, Hall, HallPicture, HallStaff, MatterGroup, QrValidity, SlotKind, SlotPlan,
    Window, WindowMatter, WindowStaff,
)
from apps.matters.models import ImplementationItem

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class HallForm(forms.ModelForm):
    class Meta:
        model = Hall
        fields = ["name", "hall_number", "hall_type", "region", "organisation", "parent_hall", "address",
                  "longitude", "latitude", "telephone", "opening_hours", "transport_info", "booking_tips",
                  "queue_code", "integration_mode", "booking_enabled", "notify_by_sms", "is_active",
                  "display_order", "introduction", "floor_area", "logo", "floor_guide_map", "publicity_video",
                  "floor_info", "resident_units"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.acceptance.selectors import hall_list

        self.fields["parent_hall"].queryset = hall_list(user=user)
        self.fields["organisation"].queryset = organisations_for(user)


def parse_period_lines(text: str) -> list[dict]:
    """'08:00-09:00 20' per line → [{"start": "08:00", "end": "09:00", "capacity": 20}]."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            span, capacity = line.split()
            start, end = span.split("-")
            rows.append({"start": start, "end": end, "capacity": int(capacity)})
        except ValueError:
            raise forms.ValidationError(_("无法识别“%(line)s”，格式：08:00-09:00 20") % {"line": line}) from None
    if not rows:
        raise forms.ValidationError(_("请至少填写一个时间段。"))
    return rows


def organisations_for(user):
    """Organisations a hall manager may pick: their own subtree (a region-wide bureau: its region)."""
    from apps.core.models import Organisation

    organisations = Organisation.objects.all()
    if user is not None and user.organisation_id and not user.is_superuser:
        org = user.organisation
        organisations = (organisations.filter(region__code__startswith=org.region.prefix) if org.is_region_wide
                         else organisations.filter(tree_path__startswith=org.tree_path))
    return organisations


class WindowForm(forms.ModelForm):
    """REV-1.2: hall, window name, category, floor, zone, owning department (QR: qr_token)."""

    class Meta:
        model = Window
        fields = ["window_number", "name", "window_type", "department", "floor", "zone", "handling_location",
                  "telephone", "supports_appointment", "supports_consultation", "is_active"]

    def __init__(self, *args, hall=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = organisations_for(user)


class HallStaffForm(forms.ModelForm):
    """REV-1.3: department, name, ID number (encrypted), staff type, front/back identifiers, avatar."""

    id_number = forms.CharField(label=_("身份证号码"), required=False, max_length=18)

    class Meta:
        model = HallStaff
        fields = ["staff_number", "name", "kind", "department", "id_number", "front_identifier", "back_identifier",
                  "avatar", "is_active"]

    def __init__(self, *args, hall=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = organisations_for(user)

    def clean_id_number(self):
        from apps.core.validators import validate_id_number

        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        if value:
            validate_id_number(value)
        return value


class HallPictureForm(forms.ModelForm):
    class Meta:
        model = HallPicture
        fields = ["image", "caption", "order"]


class _HallChildForm(forms.ModelForm):
    def __init__(self, *args, hall=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hall = hall
        if "window" in self.fields:
            self.fields["window"].queryset = Window.objects.filter(hall=hall)
        if "staff" in self.fields:
            self.fields["staff"].queryset = HallStaff.objects.filter(hall=hall)
        if "matter" in self.fields:
            from apps.matters.selectors import implementation_list

            self.fields["matter"].queryset = (implementation_list(user=user) if user is not None
                                              else ImplementationItem.objects.none())


class WindowStaffForm(_HallChildForm):
    class Meta:
        model = WindowStaff
        fields = ["window", "staff"]


class WindowMatterForm(_HallChildForm):
    class Meta:
        model = WindowMatter
        fields = ["window", "matter"]


class BookableMatterForm(_HallChildForm):
    class Meta:
        model = BookableMatter
        fields = ["matter", "department_name", "is_active"]


class SlotPlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("方案类型"), choices=SlotPlan._meta.get_field("kind").choices)
    periods = forms.CharField(label=_("时间段"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("每行一个：开始-结束 号源数，例如 08:00-09:00 20"))

    def clean_periods(self):
        return parse_period_lines(self.cleaned_data["periods"])


class GenerateForm(forms.Form):
    first = forms.DateField(label=_("开始日期"), widget=DATE)
    last = forms.DateField(label=_("结束日期"), widget=DATE)


class SlotForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=DATE)
    period_start = forms.TimeField(label=_("开始时间"), widget=TIME)
    period_end = forms.TimeField(label=_("结束时间"), widget=TIME)
    capacity = forms.IntegerField(label=_("最大可预约数"), min_value=1)
    kind = forms.ChoiceField(label=_("号源类型"), choices=[(SlotKind.CUSTOM, _("自定义号源")),
                                                           (SlotKind.EXTENDED_SERVICE, _("延时服务"))])


class CalendarLabelForm(forms.ModelForm):
    class Meta:
        model = CalendarLabel
        fields = ["name", "kind", "hall", "colour"]


class LabelApplyForm(forms.Form):
    dates = forms.CharField(label=_("日期"), widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("可批量选择：每行或以逗号分隔一个日期（2026-12-01），或一个区间 2026-12-01~2026-12-05"))

    def clean_dates(self):
        from datetime import date as date_cls, timedelta

        text = self.cleaned_data["dates"].replace("，", ",").replace("\n", ",")
        days = []
        try:
            for part in filter(None, (p.strip() for p in text.split(","))):
                if "~" in part:
                    a, b = (date_cls.fromisoformat(x.strip()) for x in part.split("~"))
                    if (b - a).days > 366 or b < a:
                        raise ValueError
                    days += [a + timedelta(days=n) for n in range((b - a).days + 1)]
                else:
                    days.append(date_cls.fromisoformat(part))
        except ValueError:
            raise forms.ValidationError(_("日期格式应为 2026-12-01，区间为 2026-12-01~2026-12-05。")) from None
        return days


class MatterGroupForm(_HallChildForm):
    quotas = forms.CharField(label=_("各时间段限号"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("每行一个：开始-结束 限号数，例如 08:00-09:00 40"))

    class Meta:
        model = MatterGroup
        fields = ["name", "members"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = BookableMatter.objects.filter(hall=self.hall).select_related("matter")

    def clean_quotas(self):
        return parse_period_lines(self.cleaned_data["quotas"])


class BlacklistRuleForm(forms.ModelForm):
    class Meta:
        model = BlacklistRule
        fields = ["name", "no_show_period", "no_show_period_days", "no_show_count", "no_show_behaviour",
                  "restriction_days", "is_active"]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=255)


class CheckInQrForm(forms.Form):
    validity = forms.ChoiceField(label=_("有效期"), choices=QrValidity.choices)
    expires_at = forms.DateTimeField(label=_("自定义截止时间"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class BookingForm(forms.Form):
    booker_name = forms.CharField(label=_("预约人姓名"), max_length=64, required=False)
    mobile_number = forms.CharField(label=_("联系方式"), max_length=11, required=False)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18, required=False)
