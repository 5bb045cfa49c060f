"""Forms of the ops portal pages; the services validate again and own every write."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from apps.ops.models import AssetGroup, HostAsset, WorkOrderPriority, WebsiteAsset


def work_order_people():
    """Staff who may own a work_order (hold ops.view_workorder through a role)."""
    User = get_user_model()
    return (User.objects.filter(is_active=True)
            .filter(roles__permissions__codename="view_workorder", roles__permissions__content_type__app_label="ops")
            .distinct().order_by("username"))


class WorkOrderCreateForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    owner = forms.ModelChoiceField(label=_("负责人"), queryset=None)
    related_users = forms.ModelMultipleChoiceField(label=_("相关人员"), queryset=None, required=False)
    priority = forms.ChoiceField(label=_("优先级"), choices=WorkOrderPriority.choices, initial=WorkOrderPriority.NORMAL)
    due_at = forms.DateTimeField(label=_("超期提醒时间"), required=False,
                                 widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                 input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])
    description = forms.CharField(label=_("描述"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    notify_sms = forms.BooleanField(label=_("短信通知"), required=False, initial=True)
    notify_email = forms.BooleanField(label=_("邮件通知"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = work_order_people()
        self.fields["related_users"].queryset = work_order_people()


class WorkOrderHandleForm(forms.Form):
    resolution = forms.CharField(label=_("处理结果"), widget=forms.Textarea(attrs={"rows": 3}))


class WorkOrderVerifyForm(forms.Form):
    approved = forms.TypedChoiceField(label=_("验收结论"), choices=[("1", _("通过并关闭")), ("0", _("退回重办"))],
                                      coerce=lambda v: v == "1")
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WorkOrderAssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("新负责人"), queryset=None)
    comment = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = work_order_people()


class WebsiteAssetForm(forms.ModelForm):
    hosts = forms.ModelMultipleChoiceField(label=_("关联主机"), queryset=HostAsset.objects.order_by("name"),
                                           required=False)

    class Meta:
        model = WebsiteAsset
        fields = ["name", "url", "framework", "framework_version", "site_title", "usage_status", "responsible",
                  "location", "group", "value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = AssetGroup.objects.order_by("name")
        if self.instance.pk:
            self.fields["hosts"].initial = list(self.instance.hosts.values_list("pk", flat=True))


class FindingImportForm(forms.Form):
    file = forms.FileField(label=_("扫描结果文件（CSV）"))
    source = forms.ChoiceField(label=_("来源"), choices=[("manual", _("手工模板")), ("nsfocus", _("绿盟")),
                                                       ("venustech", _("启明星辰")), ("legendsec", _("网神")),
                                                       ("topsec", _("天融信")), ("tenable", _("Tenable"))])


class HostAssetForm(forms.ModelForm):
    services_text = forms.CharField(
        label=_("服务"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个：端口/协议 服务名 版本 Banner，如 “5432/tcp postgresql 15.4 PostgreSQL”；IP 为空时用主机 IP。"))

    class Meta:
        model = HostAsset
        fields = ["name", "category", "ip_address", "group", "value", "registration_status", "discovery_source",
                  "responsible", "operating_system"]

    def clean_services_text(self):
        services = []
        for number, line in enumerate((self.cleaned_data.get("services_text") or "").splitlines(), 1):
            if not line.strip():
                continue
            head, *rest = line.split(None, 3)
            port_text, _sep, protocol = head.partition("/")
            if not port_text.isdigit() or not 0 < int(port_text) < 65536:
                raise forms.ValidationError(_("第 %(n)s 行：端口无效。") % {"n": number})
            services.append({"port": int(port_text), "protocol": (protocol or "tcp").lower()[:16],
                             "service_name": (rest[0] if rest else "")[:64],
                             "service_version": (rest[1] if len(rest) > 1 else "")[:64],
                             "banner": rest[2] if len(rest) > 2 else ""})
        return services
