"""Complaints for tests (filed through the service, so they look like real ones)."""
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory
from apps.supervision.services.complaints import complaint_file


def file_complaint(*, region="230100000000", title="办事窗口推诿", content="窗口人员态度差", kind="complaint",
                   citizen=None, **extra):
    citizen = citizen or UserFactory(kind=UserKind.NATURAL_PERSON)
    data = {"kind": kind, "title": title, "content": content, "complainant_name": "张三",
            "complainant_mobile": "13800138000", "email": "zs@example.com", "region_code": region,
            "item_code": "11230000MB0000001X", "item_name": "食品经营许可", **extra}
    return complaint_file(data=data, complainant=citizen)
