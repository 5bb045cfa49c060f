"""Forms of the stores back-office pages: they parse input; the rules live in the services."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.stores.models import AuthMethod, ProofStatus, ServiceKind, StoreLevel, Zone


class StoreOpenForm(forms.Form):
    level = forms.ChoiceField(label=_("旗舰店层级"), choices=StoreLevel.choices)
    organisation = forms.ModelChoiceField(label=_("主办单位"), queryset=Organisation.objects.none())
    region = forms.ModelChoiceField(label=_("区划"), queryset=Region.objects.order_by("code"), to_field_name="code")
    name = forms.CharField(label=_("旗舰店名称"), max_length=80)
    slug = forms.CharField(label=_("访问标识"), max_length=40, help_text=_("小写字母、数字或连字符，如 harbin"))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations if organisations is not None else Organisation.objects.none()


class StoreContentForm(forms.Form):
    """STORE-5.1: image path, icon, title, description."""

    title = forms.CharField(label=_("标题"), max_length=120)
    description = forms.CharField(label=_("简介"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    banner_image = forms.CharField(label=_("横幅图片路径"), max_length=255, required=False,
                                   help_text=_("站内路径（/static/… 或 /media/…）或 https:// 地址"))
    icon = forms.CharField(label=_("图标"), max_length=64, required=False, help_text=_("一个图形字符，如 🏛"))
    contact_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)


class OwnInterfaceForm(forms.Form):
    """STORE-4.2."""

    url = forms.CharField(label=_("自建界面地址"), max_length=500, required=False)
    client_code = forms.CharField(label=_("对接应用编码"), max_length=64, required=False,
                                  help_text=_("自建界面在省统一身份认证登记的对接应用编码；两项都留空表示不使用"))


class StoreServiceForm(forms.Form):
    """STORE-5.1 / 4.4 / 4.6 / 2.1.3."""

    title = forms.CharField(label=_("服务名称"), max_length=120)
    kind = forms.ChoiceField(label=_("服务类别"), choices=ServiceKind.choices, initial=ServiceKind.MATTER,
                             required=False)
    description = forms.CharField(label=_("内容描述"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    icon = forms.CharField(label=_("图标"), max_length=64, required=False)
    image_path = forms.CharField(label=_("图片路径"), max_length=255, required=False)
    handling_url = forms.CharField(label=_("在线办理链接"), max_length=500, required=False)
    matter_code = forms.CharField(label=_("事项编码"), max_length=33, required=False)
    client_system_code = forms.CharField(label=_("办理系统接入编码"), max_length=64, required=False,
                                         help_text=_("已接入省统一身份认证的办理系统编码，跳转时携带用户票据"))
    min_real_name_level = forms.IntegerField(label=_("最低实名等级"), min_value=0, max_value=4, initial=0)
    auth_methods = forms.MultipleChoiceField(label=_("增强认证方式（任选其一）"), choices=AuthMethod.choices,
                                             required=False, widget=forms.CheckboxSelectMultiple)
    is_high_frequency = forms.BooleanField(label=_("高频服务（首页便捷入口）"), required=False)
    enquiry_phone = forms.CharField(label=_("业务咨询电话"), max_length=40, required=False)
    support_phone = forms.CharField(label=_("技术咨询电话"), max_length=40, required=False)
    conditions = forms.CharField(label=_("办理条件"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    notes = forms.CharField(label=_("注意事项"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)
    is_published = forms.BooleanField(label=_("发布"), required=False)


class ColumnForm(forms.Form):
    name = forms.CharField(label=_("栏目名称"), max_length=60)
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 10}))


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("审核意见"), max_length=300, required=False)


class KeywordAssociationForm(forms.Form):
    keyword = forms.CharField(label=_("关键字"), max_length=40)
    associated_words = forms.CharField(label=_("关联词"), widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text=_("多个关联词用空格、逗号或顿号分隔"))
    is_enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)


class RecommendedMatterForm(forms.Form):
    matter_code = forms.CharField(label=_("事项编码（33位）"), max_length=40,
                                  widget=forms.TextInput(attrs={"data-matter-lookup": "1", "autocomplete": "off"}))
    order = forms.IntegerField(label=_("推荐顺序"), min_value=0, initial=0)
    valid_from = forms.DateField(label=_("推荐开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("推荐结束日期"), widget=forms.DateInput(attrs={"type": "date"}))


class ZoneMatterForm(forms.Form):
    zone = forms.ChoiceField(label=_("专区"), choices=Zone.choices)
    name = forms.CharField(label=_("事项名称"), max_length=200)
    matter_code = forms.CharField(label=_("事项编码"), max_length=33, required=False)
    classification = forms.CharField(label=_("分类"), max_length=40)
    attribute_flags = forms.CharField(label=_("事项库属性标识"), required=False, help_text=_("多个用逗号分隔"))
    icon = forms.CharField(label=_("图标"), max_length=8, required=False)
    is_identity_connected = forms.BooleanField(label=_("已接入统一身份认证"), required=False)
    handling_url = forms.CharField(label=_("办理页面"), max_length=500, required=False)
    partner_province = forms.CharField(label=_("通办省份"), max_length=20, required=False)
    supplying_department = forms.ModelChoiceField(label=_("提供部门"), queryset=Organisation.objects.none())
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplying_department"].queryset = organisations if organisations is not None \
            else Organisation.objects.none()


class ProofForm(forms.Form):
    name = forms.CharField(label=_("证明名称"), max_length=200)
    status = forms.ChoiceField(label=_("状态"), choices=ProofStatus.choices)
    department = forms.ModelChoiceField(label=_("部门"), queryset=Organisation.objects.order_by("region_id", "name"))
    basis = forms.CharField(label=_("依据"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    notes = forms.CharField(label=_("备注（替代方式）"), max_length=300, required=False)
    decided_on = forms.DateField(label=_("公布日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ZoneImportForm(forms.Form):
    zone = forms.ChoiceField(label=_("专区"), choices=Zone.choices)
    supplying_department = forms.ModelChoiceField(label=_("提供部门"), queryset=Organisation.objects.none())
    file = forms.FileField(label=_("清单文件（.xlsx）"),
                           help_text=_("首行列名：事项名称、事项编码、分类、事项库属性标识、已接入统一身份认证（是/否）、办理页面、通办省份"))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplying_department"].queryset = organisations if organisations is not None \
            else Organisation.objects.none()
