"""Demo of the data analysis system (ANA): the Harbin staff demo account gets the analyst role, the demo
portal is registered as an embed client, and every topic database is refreshed once from the demo data
the other seeds wrote (no invented numbers: visit counts stay empty until a portal or the app reports them)."""
from __future__ import annotations

from django.db import transaction


def seed_analytics(*, log=print) -> None:
    from apps.analytics.models import EmbedClient, TopicDataset
    from apps.analytics.services.refresh import dataset_refresh, topic_datasets_ensure
    from apps.core.models import Region
    from apps.identity.models import Role, User

    with transaction.atomic():
        topic_datasets_ensure()
        analyst_role = Role.objects.filter(code="analytics_analyst").first()
        harbin = User.objects.filter(username="harbin_staff").first()
        if analyst_role and harbin:
            harbin.roles.add(analyst_role)
        province = Region.objects.filter(level=1).order_by("code").first()
        if province and not EmbedClient.objects.filter(name="演示：黑龙江政务服务网").exists():
            from apps.analytics.charts import CHARTS
            from apps.analytics.services.embed import new_key

            key, prefix, digest = new_key()
            EmbedClient.objects.create(name="演示：黑龙江政务服务网", kind="portal", origin="http://127.0.0.1:8000",
                                       region=province, allowed_charts=list(CHARTS), key_prefix=prefix,
                                       key_digest=digest)
            log(f"数据分析：演示嵌入客户端密钥 {key}（/portal/analytics/embed/2.1/?key=…）")
    root = Region.objects.filter(level=1).order_by("code").first()
    for dataset in TopicDataset.objects.filter(is_enabled=True):
        dataset_refresh(dataset, root=root)
    log(f"数据分析：已刷新 {TopicDataset.objects.filter(last_refreshed_at__isnull=False).count()} 个专题库")
