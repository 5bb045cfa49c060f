"""PORTAL-9.2 user management through the services: every field validated, scope enforced, nothing
written on bad input."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.models import AuditLog
from apps.identity.models import User, UserKind
from apps.identity.services import user_create, user_update
from apps.identity.tests.conftest import give

pytestmark = pytest.mark.spec("PORTAL-9.2")


def staff_data(orgs, **overrides):
    data = {"username": "zhangsan", "password": "Hlj-Secure-2026", "organisation": orgs["harbin_dept"],
            "full_name": "张三", "email": "zhangsan@hlj.gov.cn", "telephone": "0451-82345678",
            "mobile_number": "13812345678", "kind": UserKind.STAFF, "roles": [], "remarks": "新入职"}
    data.update(overrides)
    return data


def test_city_admin_creates_staff_user_with_all_eight_fields(harbin_admin, orgs):
    user = user_create(data=staff_data(orgs), actor=harbin_admin)
    user.refresh_from_db()
    assert (user.organisation, user.full_name, user.email, user.telephone, user.kind, user.remarks) == (
        orgs["harbin_dept"], "张三", "zhangsan@hlj.gov.cn", "0451-82345678", UserKind.STAFF, "新入职")
    assert user.mobile_number == "13812345678" and user.masked_mobile_number == "138****5678"
    assert User.objects.with_mobile_number("13812345678").get() == user
    assert user.check_password("Hlj-Secure-2026")
    assert AuditLog.objects.filter(object_id=str(user.pk), action="create").exists()


def test_mobile_number_is_stored_encrypted(harbin_admin, orgs):
    from django.db import connection

    user = user_create(data=staff_data(orgs), actor=harbin_admin)
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile_number FROM identity_user WHERE id = %s", [user.pk])
        stored = cursor.fetchone()[0]
    assert "13812345678" not in stored and stored.startswith("sm4")


@pytest.mark.parametrize("field,value,message", [
    ("mobile_number", "1381234567", "手机号码格式不正确"),
    ("mobile_number", "23812345678", "手机号码格式不正确"),
    ("email", "not-an-email", "电子邮箱格式不正确"),
    ("telephone", "call me", "电话号码格式不正确"),
    ("full_name", "", "请填写姓名"),
    ("organisation", None, "必须选择归属部门"),
    ("username", "", "请填写登录名"),
    ("username", "bad name!", "登录名只能包含"),
    ("password", "123", "密码"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(harbin_admin, orgs, field, value, message):
    before = User.objects.count()
    with pytest.raises(ValidationError) as caught:
        user_create(data=staff_data(orgs, **{field: value}), actor=harbin_admin)
    assert any(message in text for text in caught.value.message_dict[field])
    assert User.objects.count() == before


def test_duplicate_login_name_is_refused(harbin_admin, orgs, staff):
    with pytest.raises(ValidationError) as caught:
        user_create(data=staff_data(orgs, username="STAFF_DAOLI_DEPT"), actor=harbin_admin)
    assert "已被使用" in caught.value.message_dict["username"][0]


def test_organisation_outside_the_actors_scope_is_refused(harbin_admin, orgs):
    with pytest.raises(ValidationError) as caught:
        user_create(data=staff_data(orgs, organisation=orgs["qiqihar"]), actor=harbin_admin)
    assert "不在您的管理范围内" in caught.value.message_dict["organisation"][0]
    assert not User.objects.filter(username="zhangsan").exists()


def test_city_admin_cannot_create_public_users(harbin_admin, orgs):
    with pytest.raises(ValidationError) as caught:
        user_create(data=staff_data(orgs, kind=UserKind.NATURAL_PERSON, organisation=None), actor=harbin_admin)
    assert "只有系统管理员" in caught.value.message_dict["kind"][0]


def test_update_changes_only_given_fields_and_keeps_the_rest(harbin_admin, staff, orgs):
    target = staff["daoli_dept"]
    target.mobile_number, target.email = "13900001111", "old@hlj.gov.cn"
    target.save()
    user_update(user=target, data={"mobile_number": "13700002222", "remarks": "调岗"}, actor=harbin_admin)
    target.refresh_from_db()
    assert target.mobile_number == "13700002222" and target.remarks == "调岗"
    assert target.email == "old@hlj.gov.cn" and target.organisation == orgs["daoli_dept"]
    log = AuditLog.objects.filter(object_id=str(target.pk), action="update").latest("at")
    assert log.changes["mobile_number"] == ["139****1111", "137****2222"]


def test_update_with_one_bad_field_writes_nothing(harbin_admin, staff):
    target = staff["daoli_dept"]
    with pytest.raises(ValidationError):
        user_update(user=target, data={"full_name": "李四", "mobile_number": "12345"}, actor=harbin_admin)
    target.refresh_from_db()
    assert target.full_name != "李四"


def test_user_of_another_city_cannot_be_edited(qiqihar_admin, staff):
    target = staff["daoli_dept"]
    with pytest.raises(PermissionDenied):
        user_update(user=target, data={"full_name": "改名"}, actor=qiqihar_admin)
    target.refresh_from_db()
    assert target.full_name != "改名"


def test_moving_a_user_to_an_organisation_outside_scope_is_refused(harbin_admin, staff, orgs):
    target = staff["daoli_dept"]
    with pytest.raises(ValidationError):
        user_update(user=target, data={"organisation": orgs["qiqihar"]}, actor=harbin_admin)
    target.refresh_from_db()
    assert target.organisation == orgs["daoli_dept"]


def test_staff_without_permission_is_refused(staff):
    with pytest.raises(PermissionDenied):
        user_update(user=staff["daoli_dept"], data={"full_name": "x"}, actor=staff["harbin_dept"])


def test_lesser_admin_cannot_edit_a_system_admin(harbin_admin, staff, system_admin_role):
    target = staff["harbin_dept"]
    target.roles.add(system_admin_role)
    with pytest.raises(PermissionDenied):
        user_update(user=User.objects.get(pk=target.pk), data={"full_name": "x"}, actor=harbin_admin)


def test_roles_the_actor_does_not_hold_cannot_be_assigned(harbin_admin, staff, system_admin_role):
    target = staff["daoli_dept"]
    powerful = give(staff["province"], "core.change_region", code="region_editor")
    with pytest.raises(ValidationError) as caught:
        user_update(user=target, data={"roles": [system_admin_role]}, actor=harbin_admin)
    assert "只有系统管理员" in caught.value.message_dict["roles"][0]
    with pytest.raises(ValidationError) as caught:
        user_update(user=target, data={"roles": [powerful]}, actor=harbin_admin)
    assert "core.change_region" in caught.value.message_dict["roles"][0]
    assert not target.roles.exists()


def test_admin_cannot_deactivate_self(harbin_admin):
    with pytest.raises(ValidationError):
        user_update(user=harbin_admin, data={"is_active": False}, actor=harbin_admin)
