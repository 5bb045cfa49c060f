"""Forms of the mobile portal pages."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.mobile.models import (
    AppType, Channel, Component, InterfaceCategory, InterfaceResource, ListingMode, MobileApp, ResourceCatalogue,
)

YES_NO = [("", _("请选择")), ("1", _("是")), ("0", _("否"))]


class YesNoField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=YES_NO, coerce=lambda v: v == "1", empty_value=None, **kwargs)


class ResourceForm(forms.ModelForm):
    category = forms.ModelChoiceField(label=_("接口分类"), queryset=InterfaceCategory.objects.all())

    class Meta:
        model = InterfaceResource
        fields = ["category", "code", "name", "version", "method", "upstream_url", "description",
                  "rate_limit_count", "rate_limit_seconds", "is_public"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Uniqueness is checked by the service (one message for the portal and the API).
        self.fields["code"].validators = [v for v in self.fields["code"].validators if "Unique" not in type(v).__name__]

    def validate_unique(self):
        pass


class ConfigureForm(forms.Form):
    rate_limit_count = forms.IntegerField(label=_("限流次数"), min_value=1)
    rate_limit_seconds = forms.IntegerField(label=_("限流周期（秒）"), min_value=1, max_value=86400)
    is_public = forms.BooleanField(label=_("公开"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CatalogueForm(forms.ModelForm):
    class Meta:
        model = ResourceCatalogue
        fields = ["code", "name", "description"]

    def validate_unique(self):
        pass


class MountForm(forms.Form):
    catalogue = forms.ModelChoiceField(label=_("资源目录（仅已发布）"), queryset=ResourceCatalogue.objects.none())

    def __init__(self, *args, catalogues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalogue"].queryset = catalogues


class AppCreateForm(forms.ModelForm):
    """APP-4.1: every creation field; the yes/no questions must be answered."""

    app_type = forms.ModelChoiceField(label=_("应用类型"), queryset=AppType.objects.all())
    requires_login = YesNoField(label=_("需要登录用户验证"))
    requires_face = YesNoField(label=_("需要人脸识别验证"))
    unified_auth_integrated = YesNoField(label=_("已对接统一身份认证"))
    components = forms.ModelMultipleChoiceField(label=_("使用组件（仅对外开放的组件）"), required=False,
                                                queryset=Component.objects.filter(is_open=True),
                                                widget=forms.CheckboxSelectMultiple, to_field_name="code")
    channels = forms.ModelMultipleChoiceField(label=_("输出渠道"), required=False,
                                              queryset=Channel.objects.filter(is_enabled=True),
                                              widget=forms.CheckboxSelectMultiple, to_field_name="code")

    class Meta:
        model = MobileApp
        fields = ["name", "identifier", "app_type", "encryption_method", "app_form", "introduction", "icon",
                  "requires_login", "requires_face", "unified_auth_integrated", "network_environment",
                  "source_package"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_package"].required = True
        self.fields["icon"].required = True

    def validate_unique(self):
        pass


class AppEditForm(forms.ModelForm):
    class Meta:
        model = MobileApp
        fields = ["name", "app_type", "encryption_method", "app_form", "introduction", "icon",
                  "requires_login", "requires_face", "unified_auth_integrated", "network_environment"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}


class AppConfigureForm(forms.Form):
    """APP-4.2: configuration uploads."""

    version = forms.CharField(label=_("版本号"), max_length=20, required=False)
    url = forms.URLField(label=_("应用地址"), max_length=300, required=False, assume_scheme="https")
    test_report = forms.FileField(label=_("版本检测报告"), required=False)
    requirements_document = forms.FileField(label=_("需求文档"), required=False)
    source_package = forms.FileField(label=_("源码包"), required=False)
    note = forms.CharField(label=_("版本说明"), max_length=300, required=False)


class BindForm(forms.Form):
    resource = forms.ModelChoiceField(label=_("接口资源（本单位已订阅）"), queryset=InterfaceResource.objects.none())

    def __init__(self, *args, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources


class DisplayForm(forms.Form):
    """APP-5.6: link, display title and icon."""

    url = forms.URLField(label=_("链接地址"), max_length=300, required=False, assume_scheme="https")
    display_title = forms.CharField(label=_("展示标题"), max_length=64, required=False)
    display_icon = forms.FileField(label=_("展示图标"), required=False)


class ModeForm(forms.Form):
    listing_mode = forms.ChoiceField(label=_("上下架方式"), choices=ListingMode.choices)


class ScenarioForm(forms.ModelForm):
    class Meta:
        from apps.mobile.models import AppScenario

        model = AppScenario
        fields = ["scenario_type", "name", "url", "description"]
