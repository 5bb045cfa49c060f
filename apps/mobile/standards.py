"""统一标准规范 (APP-1 ★): the development, page, UI-control and application-access specifications services
follow to integrate with the Quan Sheng Shi platform. One source: the rules the platform enforces are read from
the code that enforces them (the gateway's refusal catalogue, the review checks, the encryption schemes), so the
published specification and the behaviour cannot drift apart."""
from __future__ import annotations

from dataclasses import dataclass

from apps.mobile import transport
from apps.mobile.models import EncryptionMethod

# The gateway's refusals (apps.mobile.services.gateway): code → (HTTP status, meaning). The gateway answers
# {"code", "message"} with exactly these codes and statuses.
GATEWAY_ERRORS: dict[str, tuple[int, str]] = {
    "app_unauthenticated": (401, "应用标识或应用密钥无效。"),
    "encryption_required": (400, "应用强制加密，请求未按其加密方式加密。"),
    "decryption_failed": (400, "报文解密失败：密文无效或不是本应用的密钥加密。"),
    "resource_not_found": (404, "接口资源不存在。"),
    "resource_unavailable": (503, "接口资源未发布或已下架。"),
    "method_not_allowed": (405, "请求方法与接口资源登记的方法不符。"),
    "not_bound": (403, "应用未绑定该接口资源。"),
    "subscription_not_approved": (403, "本单位对该接口资源的订阅尚未审核通过。"),
    "rate_limited": (429, "超出该接口资源的限流规则。"),
    "upstream_error": (502, "上游接口调用失败。"),
}

# What the application review checks (apps.mobile.adapters.probe) require of an H5 application's pages.
REVIEW_CHECKS = [
    ("连通性检测", "应用地址以 HTTP 200 应答。"),
    ("安全检测", "使用 HTTPS；返回 X-Content-Type-Options 与 X-Frame-Options（或 CSP frame-ancestors）响应头。"),
    ("兼容性检测", "页面声明移动端 viewport（width=device-width）与 UTF-8 字符集。"),
    ("压力检测", "并发请求下无失败应答。"),
]


@dataclass(frozen=True)
class Section:
    title: str
    rules: tuple[str, ...]


@dataclass(frozen=True)
class Specification:
    code: str
    title: str
    purpose: str
    sections: tuple[Section, ...]


def _encryption_rules() -> tuple[str, ...]:
    sealed = [f"{label}：请求头 {transport.HEADER}: {transport.SCHEMES[value]}，查询参数密文放入 {transport.QUERY_HEADER}"
              for value, label in EncryptionMethod.choices if value in transport.SCHEMES]
    return (*sealed, f"{EncryptionMethod.TLS_ONLY.label}：仅接受 HTTPS 请求", "创建应用时必须选择加密方式，明文请求一律拒绝。")


def specifications() -> tuple[Specification, ...]:
    return (
        Specification("development", "开发规范", "H5 应用的开发、版本与发布要求。", (
            Section("工程与版本", ("应用以 H5 形式开发，通过统一移动端管理平台一次接入、多端（APP、微信、支付宝）输出。",
                                  "每个版本上传版本检测报告、需求文档与源码包，版本号递增。",
                                  "调用省平台数据一律经接口网关，不得直连政务外网地址。")),
            Section("身份与组件", ("用户身份通过用户组件取得统一用户，不自建登录。",
                                  "消息推送经消息组件，由平台统一送达。",
                                  "只能选用管理员开放的组件。")),
        )),
        Specification("page", "页面规范", "页面结构与适配要求；应用审核逐项检测。", tuple(
            Section(name, (rule,)) for name, rule in REVIEW_CHECKS)),
        Specification("ui", "UI 控件规范", "统一的提示、按钮、表单与列表样式。", (
            Section("控件", ("提示框与轻提示使用平台统一组件。", "按钮、表单、列表、加载与刷新效果使用平台 UI 代码库。",
                           "正文字号不小于 14px，适老化页面不小于 18px；可点击区域不小于 44×44 像素。")),
            Section("无障碍", ("图片提供替代文本，表单控件有可见标签，颜色对比度符合 GB/T 37668。",)),
        )),
        Specification("access", "应用接入规范", "各单位对外开放数据接口的调用安全与信息传输要求。", (
            Section("认证", ("请求头携带 X-App-Id（应用标识）与 X-App-Key（应用密钥）。",
                            "仅可调用已绑定且本单位订阅审核通过的接口资源。")),
            Section("加密传输", _encryption_rules()),
            Section("限流与部署", ("每个接口资源按登记的限流规则限制调用次数，超出返回 429。",
                                  "平台部署于省级政务云，支持 IPv4/IPv6 双栈访问。")),
        )),
    )
