"""Matter codes: configurable rule, shared basic code, unique implementation codes, audited correction."""
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from apps.core.models import AuditLog
from apps.core.tests.factories import OrganisationFactory
from apps.core.workflow import history_for
from apps.matters.models import (
    CatalogueItem, CodeCounter, CodeTarget, CodingRule, CodingRuleSegment, ImplementationItem, SegmentKind,
)
from apps.matters.services.coding import (
    active_rule, catalogue_code_generate, code_pattern, matter_code_correct, next_serial,
)
from apps.matters.services.declaration import catalogue_item_claim, catalogue_item_declare
from apps.matters.tests.factories import children, department_user, element_data, grant

pytestmark = pytest.mark.django_db


@pytest.mark.spec("MAT-2.1.1")
def test_declared_item_gets_basic_code_by_the_default_rule(people, orgs):
    first = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"], data=element_data(),
                                   children=children())
    second = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"],
                                    data=element_data(name="食品经营许可变更"), children=children())
    # owner 23 (Heilongjiang) + type 01 + main serial + sub 000: 12 characters
    assert first.basic_code == "230100001000"
    assert second.basic_code == "230100002000"
    assert code_pattern(active_rule(CodeTarget.CATALOGUE)).match(first.basic_code)


@pytest.mark.spec("MAT-2.1.1", "MAT-2.1.4")
def test_sub_item_extends_its_main_items_serial(people, orgs):
    main = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"], data=element_data(),
                                  children=children())
    sub = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"], parent=main,
                                 data=element_data(name="食品经营许可（延续）"), children=children())
    assert sub.basic_code == main.basic_code[:9] + "001"
    assert list(main.sub_items.all()) == [sub]


@pytest.mark.spec("MAT-2.1.1")
def test_rule_is_data_an_administrator_can_reconfigure(people, orgs):
    CodingRule.objects.filter(target=CodeTarget.CATALOGUE).update(is_active=False)
    rule = CodingRule.objects.create(target=CodeTarget.CATALOGUE, name="测试规则 CAT")
    for position, (kind, length, value) in enumerate(
            [(SegmentKind.LITERAL, 2, "HL"), (SegmentKind.MATTER_TYPE, 2, ""), (SegmentKind.MAIN_SERIAL, 4, "")], 1):
        CodingRuleSegment.objects.create(rule=rule, position=position, kind=kind, length=length, value=value)
    item = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"], data=element_data(),
                                  children=children())
    assert item.basic_code == "HL010001"


@pytest.mark.spec("MAT-2.1.1", "MAT-2.2.2")
def test_implementers_share_the_basic_code_and_get_unique_implementation_codes(published_item, people, orgs):
    city = catalogue_item_claim(actor=people["harbin"], catalogue_item=published_item,
                                implementing_body=orgs["harbin_dept"])
    county = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                                  implementing_body=orgs["daoli_dept"])
    assert city.basic_code == county.basic_code == published_item.basic_code
    assert city.implementation_code != county.implementation_code
    for item, body, level in ((city, orgs["harbin_dept"], "3"), (county, orgs["daoli_dept"], "4")):
        assert item.implementation_code == body.credit_code + level + published_item.basic_code
        assert len(item.implementation_code) == 31


@pytest.mark.spec("MAT-2.2.2")
def test_second_claim_by_the_same_body_is_refused(published_item, people, orgs):
    catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=orgs["daoli_dept"])
    with pytest.raises(ValidationError, match="已认领该事项"):
        catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                             implementing_body=orgs["daoli_dept"])
    assert ImplementationItem.objects.count() == 1


@pytest.mark.spec("MAT-2.1.1")
def test_manual_correction_is_audited_and_carried_into_implementation_codes(published_item, people, orgs):
    claimed = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                                   implementing_body=orgs["daoli_dept"])
    admin = grant(people["harbin"], "correct_matter_code")
    matter_code_correct(item=published_item, new_code="000117051000", actor=admin, reason="应使用国家目录编码")
    published_item.refresh_from_db()
    claimed.refresh_from_db()
    assert published_item.basic_code == "000117051000"
    assert claimed.basic_code == "000117051000"
    assert claimed.implementation_code.endswith("4000117051000")
    log = AuditLog.objects.filter(object_id=str(published_item.pk)).latest("at")
    assert log.changes["basic_code"] == ["230100001000", "000117051000"]
    assert history_for(published_item).last().action == "correct_code"


@pytest.mark.spec("MAT-2.1.1")
def test_correction_refused_on_collision_bad_layout_or_missing_permission(published_item, people, orgs):
    other = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"],
                                   data=element_data(name="另一事项"), children=children())
    with pytest.raises(Exception, match="权限"):
        matter_code_correct(item=other, new_code="230100009000", actor=people["harbin"], reason="x")
    admin = grant(people["harbin"], "correct_matter_code")
    with pytest.raises(ValidationError, match="已被事项“食品经营许可”使用"):
        matter_code_correct(item=other, new_code=published_item.basic_code, actor=admin, reason="错码")
    with pytest.raises(ValidationError, match="不符合编码规则"):
        matter_code_correct(item=other, new_code="12AB", actor=admin, reason="错码")
    other.refresh_from_db()
    assert other.basic_code == "230100002000"
    assert not AuditLog.objects.filter(object_id=str(other.pk), action="update").exists()


@pytest.mark.spec("MAT-2.1.1")
def test_generation_skips_a_code_taken_by_a_manual_correction(published_item, people, orgs):
    admin = grant(people["harbin"], "correct_matter_code")
    matter_code_correct(item=published_item, new_code="230100002000", actor=admin, reason="调整")
    nxt = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"],
                                 data=element_data(name="新事项"), children=children())
    assert nxt.basic_code == "230100003000"


@pytest.mark.spec("MAT-2.1.1")
@pytest.mark.django_db(transaction=True)
def test_concurrent_declarations_never_share_a_serial(regions):
    department = OrganisationFactory(name="并发测试局", region=regions["230100000000"])
    rule = active_rule(CodeTarget.CATALOGUE)
    codes, errors = [], []
    barrier = threading.Barrier(8)

    def declare(n: int) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                item = CatalogueItem(**element_data(name=f"并发事项{n}"), region=department.region,
                                     handling_department=department, department=department)
                item.basic_code = catalogue_code_generate(item=item)
                item.save()
                codes.append(item.basic_code)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=declare, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(codes) == [f"230100{n:03d}000" for n in range(1, 9)]
    assert CodeCounter.objects.get(rule=rule).last_value == 8
    assert next_serial(rule=rule, scope_key="main_serial:2301") == 9


def test_department_user_factory_works(orgs):
    assert department_user(orgs["daoli_dept"], "x1").has_perm("matters.add_catalogueitem")
