"""Context help (OPS-8.3): the help topic of any portal page.

A page's topic is, in order: the HelpTopic row an administrator wrote for its URL name; the built-in
topic below (the security and operations pages); or, for other portal pages, a general guide built
from its menu entry (what the list, filter, export and flow-history controls do), which an
administrator can replace by adding a HelpTopic row in the admin.
"""
from __future__ import annotations

from dataclasses import dataclass

from apps.core.navigation import _menu


@dataclass(frozen=True)
class Topic:
    url_name: str
    title: str
    body: str
    use_cases: str = ""
    written: bool = True


BUILTIN = {
    "ops:alerts": Topic("ops:alerts", "安全告警", (
        "告警来自四类检测：Syslog 关键字规则、威胁情报命中、关联分析规则和网站可用性探测。"
        "同一指纹的告警在处置前只保留一条，重复发生时累加次数。\n"
        "页面上方的 11 个快速筛选器对应常见研判场景；下方筛选框可按名称、地址、等级、分类、来源、状态组合查询，"
        "导出 Excel 使用同样的条件。点击告警名称查看详情并“转为工单”。"),
        "例：“资产外连告警”中出现内网主机连接失陷类情报 IP —— 打开告警，确认相关资产，转为工单指派给主机负责人，"
        "处理后由创建人验收关闭。"),
    "ops:work-orders": Topic("ops:work-orders", "工单管理", (
        "工单由告警、漏洞、弱口令或配置核查问题生成。流程：新建 → 负责人开始处理 → 提交处理结果 → "
        "创建人或工单管理员验收（通过则关闭，退回则回到处理中）。每一步记入流转记录，"
        "创建、转派、处理、退回、关闭和超期时按工单设置以短信、邮件通知创建人、负责人和相关人员。"),
        "例：漏扫导入发现数据库弱口令 —— 生成弱口令工单，设置超期提醒时间为 24 小时后，负责人改密后提交结果。"),
    "ops:work-order-dashboard": Topic("ops:work-order-dashboard", "工单统计", (
        "按近 1 天、7 天、30 天统计新建、处理中、已处理工单，并展示处理周期分布、新建趋势、"
        "处理中工单优先级分布、新建工单状态分布、负责人排行和最近工单。")),
    "ops:hosts": Topic("ops:hosts", "主机资产", (
        "主机资产分 12 类（物联网设备、服务器、工作主机、网络设备、安全设备、终端安全管理、数据库服务器、中间件服务器、"
        "存储设备、应用服务器、安全域、虚拟化设备），支持 IPv4/IPv6，每台主机可登记多条服务（IP、端口、协议、服务名、"
        "版本、Banner）。漏扫结果导入时遇到未登记的 IP 会自动建为“未登记、漏洞发现”的主机。")),
    "ops:websites": Topic("ops:websites", "网站资产", (
        "登记网站资产的名称、URL、技术框架及版本、网站标题、使用状态、责任人、地理位置、资产组和资产价值，"
        "并可关联主机 IP。系统每 5 分钟对使用中的网站发起一次 HTTP 探测，网站由可访问变为不可访问时产生可用性告警；"
        "也可点“立即探测”。"),
        "例：门户改版后网站标题为空 —— 立即探测，系统自动读取页面标题。"),
    "ops:situation": Topic("ops:situation", "资产态势", (
        "展示资产总数、各资产组的资产数、风险值和风险等级（风险值按未修复问题的等级累加：严重 40、高危 20、"
        "中危 8、低危 2，上限 100；≥70 为高，≥30 为中），登记状态占比、开放端口与服务、发现来源分布和"
        "近 30 天各来源的发现趋势。“漏扫结果导入”按模板导入扫描结果并自动发现未登记资产。")),
    "ops:screens": Topic("ops:screens", "监控大屏", (
        "每位管理员可建立自己的监控大屏：填写标题、上传标识，把左侧模块拖到右侧布局并拖动排序、选择宽度，保存后"
        "点“全屏展示”投到大屏，页面按刷新间隔自动刷新。其他管理员看不到您的大屏。")),
    "ops:subnets": Topic("ops:subnets", "IP地址规划", (
        "按自定义区域和分组规划网段（IPv4/IPv6，网段不可重叠）。进入网段后以网格显示每个地址：蓝色已分配、"
        "橙色预留、红框为已在资产或日志中出现但未规划的地址、灰色空闲；点击地址即可分配或预留，并标注为"
        "互联IP、网关IP、管理IP或用户IP。"),
        "例：新上线数据库服务器 —— 在“省政务云/办件库”网段中点击空闲地址，分配为管理IP并填写使用方。"),
}

GENERAL = ("本页面的通用操作：上方筛选区可单独或组合条件查询，“重置”清除条件；列表分页显示，"
           "“导出Excel”按当前条件导出；带流程的记录在详情页下方显示流转记录。"
           "如需本页面的专门说明，请系统管理员在管理后台“帮助主题”中为页面标识 {url_name} 补充。")


def topic_for(url_name: str) -> Topic | None:
    from apps.ops.models import HelpTopic

    row = HelpTopic.objects.filter(url_name=url_name).first()
    if row is not None:
        return Topic(row.url_name, row.title, row.body, row.use_cases)
    if url_name in BUILTIN:
        return BUILTIN[url_name]
    entry = _menu.get(url_name)
    if entry is None:
        return None
    return Topic(url_name, f"{entry.section} · {entry.label}", GENERAL.format(url_name=url_name), written=False)


def all_topics() -> list[Topic]:
    names = sorted(set(_menu) | set(BUILTIN))
    return [t for t in (topic_for(n) for n in names) if t is not None]
