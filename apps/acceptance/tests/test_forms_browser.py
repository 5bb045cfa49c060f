"""Browser: the form designer (ACC-16.8) — drag a field from the palette, name it, save, publish — and the
citizen's apply page showing it, with a conditional field that appears only when its condition holds."""
import pytest
from playwright.sync_api import expect

from apps.acceptance.models import FormVersion
from apps.acceptance.services import form_admin as svc
from apps.acceptance.tests import factories as f
from apps.acceptance.tests.forms_support import form_admin
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory
from tests.conftest import save_screenshot

pytestmark = pytest.mark.browser
PASSWORD = "Passw0rd!2026"
START = {"steps": [{"key": "basic", "title": "经营者信息", "fields": [
    {"key": "operator_name", "label": "经营者姓名", "type": "text", "required": True},
    {"key": "sells_food", "label": "是否经营食品", "type": "radio", "required": True, "options": ["是", "否"]},
    {"key": "food_licence", "label": "食品经营许可证编号", "type": "text",
     "show_if": {"field": "sells_food", "equals": "是"}}]}]}


def log_in(page, path, username):
    page.goto(page.url_for(path))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


@pytest.mark.spec("ACC-16.8")
def test_designer_drag_and_drop_save_publish_and_the_apply_page(browser_page, orgs):
    page = browser_page
    admin = form_admin(orgs["harbin"], "designer_admin")
    admin.set_password(PASSWORD)
    admin.save()
    form = svc.form_create(code="gtgsh", name="个体工商户设立登记申请表", organisation=orgs["harbin"], actor=admin,
                           schema=START)
    item = f.matter(orgs["harbin_dept"], "个体工商户设立登记")
    log_in(page, "/portal/login/", admin.username)
    page.goto(page.url_for(f"/portal/acceptance/forms/{form.pk}/"))
    expect(page.get_by_test_id("fd-field-operator_name")).to_be_visible()
    page.get_by_test_id("palette-text").drag_to(page.get_by_test_id("fd-drop-0"))
    expect(page.locator(".fd-field")).to_have_count(4)
    expect(page.locator(".fd-field.selected")).to_contain_text("单行文本")
    page.get_by_test_id("prop-label").fill("个体工商户名称")
    page.get_by_test_id("prop-label").press("Tab")
    page.get_by_test_id("prop-required").check()
    expect(page.get_by_test_id("preview")).to_contain_text("个体工商户名称")
    save_screenshot(page, "acceptance-form-designer")
    page.get_by_test_id("designer-save").click()
    expect(page.locator("#fd-status")).to_contain_text("已保存第 1 版草稿")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("form-status")).to_have_text("已发布")
    page.get_by_label("绑定事项（网上申报使用本表单）").select_option(str(item.pk))
    page.get_by_test_id("bind").click()
    expect(page.locator("body")).to_contain_text("已更新事项")
    version = FormVersion.objects.get(form=form)
    labels = [fld["label"] for fld in version.schema["steps"][0]["fields"]]
    assert version.published_at and "个体工商户名称" in labels and len(labels) == 4          # dropped where it fell

    citizen = UserFactory(username="forms_citizen", kind=UserKind.NATURAL_PERSON)
    citizen.set_password(PASSWORD)
    citizen.save()
    page.context.clear_cookies()
    log_in(page, "/login/", citizen.username)
    page.goto(page.url_for(f"/acceptance/apply/{item.pk}/"))
    expect(page.get_by_test_id("application-form")).to_contain_text("个体工商户名称")
    licence = page.get_by_label("食品经营许可证编号")
    expect(licence).to_be_hidden()
    page.get_by_label("是", exact=True).check()
    expect(licence).to_be_visible()
    page.get_by_label("否", exact=True).check()
    expect(licence).to_be_hidden()
    save_screenshot(page, "acceptance-form-apply")
