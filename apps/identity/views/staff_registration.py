"""Government staff registration (IDN-13.1): one page — identity, department, account. The person is
checked with the national real-name service and the police; the account then waits for review."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.core.models import Organisation
from apps.identity.forms import ServiceForm
from apps.identity.models import IdType, UserKind
from apps.identity.services import registration as reg

DATE = forms.DateInput(attrs={"type": "date"})


class StaffRegistrationForm(ServiceForm):
    id_type = forms.ChoiceField(label=_("证件类型"), choices=[(IdType.RESIDENT_ID.value, IdType.RESIDENT_ID.label)])
    name = forms.CharField(label=_("姓名"), max_length=64)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18)
    valid_from = forms.DateField(label=_("证件有效期起"), widget=DATE)
    valid_to = forms.DateField(label=_("证件有效期止"), required=False, widget=DATE)
    valid_long_term = forms.BooleanField(label=_("长期有效"), required=False)
    organisation = forms.ChoiceField(label=_("所在部门"))
    username = forms.CharField(label=_("登录名"), max_length=150)
    mobile_number = forms.CharField(label=_("手机号码"), max_length=11)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password_confirm = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = Organisation.objects.filter(is_enabled=True).order_by("tree_path").only("pk", "name")[:2000]
        self.fields["organisation"].choices = [("", "请选择")] + [(o.pk, o.name) for o in rows]


class StaffRegisterView(View):
    def get(self, request):
        return render(request, "identity/register_staff.html", {"form": StaffRegistrationForm()})

    def post(self, request):
        form = StaffRegistrationForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                token = reg.registration_check_person(data=data, kind=UserKind.STAFF)
                user = reg.staff_register(verification_token=token, data=data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                return render(request, "identity/register_staff.html", {"registered": user})
        return render(request, "identity/register_staff.html", {"form": form}, status=400)


urlpatterns = [path("register-staff/", StaffRegisterView.as_view(), name="register-staff")]
