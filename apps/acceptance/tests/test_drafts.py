"""草稿箱 (ACC-7.19): a clerk saves an unfinished intake, finds it again and completes it."""
from __future__ import annotations

import pytest
from django.urls import reverse

from apps.acceptance.models import Case, CaseDraft
from apps.acceptance.tests import factories as f
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory


@pytest.fixture
def item(orgs):
    item, _situation = f.with_materials(f.matter(orgs["harbin_dept"]))
    return item


@pytest.mark.spec("ACC-7.19")
def test_intake_saved_as_draft_is_found_continued_and_completed(client, item, orgs):
    clerk = f.clerk(orgs["harbin_dept"])
    situation = item.situations.get()
    application = item.materials.get(name="申请书")
    intake = reverse("acceptance:case-intake")
    client.force_login(clerk)
    # half done: applicant name and ID typed, one paper material ticked, the situation chosen
    saved = client.post(intake, {"item": item.pk, "situation": situation.pk, "applicant_name": "李四",
                                 "applicant_id_number": f.id_number(3), "received": [application.pk],
                                 "save_draft": "1"})
    assert saved.status_code == 302 and saved["Location"] == reverse("acceptance:draft-list")
    assert not Case.objects.exists()
    draft = CaseDraft.objects.get()
    assert (draft.owner, draft.item, draft.situations, draft.received) == (clerk, item, [situation.pk],
                                                                           [application.pk])
    listing = client.get(reverse("acceptance:draft-list"), {"q": "李四"}).content.decode()
    assert item.name in listing and draft.masked_id_number in listing and f.id_number(3) not in listing
    assert item.name not in client.get(reverse("acceptance:draft-list"), {"q": "王五"}).content.decode()

    # continue: the form comes back filled, the situation's checklist and the ticked material too
    page = client.get(intake, {"draft": draft.pk}).content.decode()
    assert 'value="李四"' in page and "授权委托书" in page and 'data-testid="draft-note"' in page
    assert f'value="{application.pk}" aria-label="申请书" checked' in page

    # another clerk cannot open, overwrite or delete it
    other = f.clerk(orgs["harbin_dept"], "other_clerk")
    client.force_login(other)
    assert client.get(intake, {"draft": draft.pk}).status_code == 404
    assert client.post(reverse("acceptance:draft-list"), {"draft": draft.pk}).status_code == 404
    assert item.name not in client.get(reverse("acceptance:draft-list")).content.decode()
    client.force_login(UserFactory(username="citizen_x", kind=UserKind.NATURAL_PERSON))
    assert client.get(reverse("acceptance:draft-list")).status_code == 403
    assert CaseDraft.objects.count() == 1

    # complete it: the case is registered and the draft leaves the box
    client.force_login(clerk)
    done = client.post(intake, {"draft": draft.pk, "item": item.pk, "situation": situation.pk,
                                "applicant_name": "李四", "applicant_id_number": f.id_number(3),
                                "received": [application.pk, item.materials.get(name="授权委托书").pk]})
    case = Case.objects.get()
    assert done.status_code == 302 and done["Location"] == case.get_absolute_url()
    assert not CaseDraft.objects.exists()


@pytest.mark.spec("ACC-7.19")
def test_a_draft_can_be_deleted_by_its_owner(client, item, orgs):
    clerk = f.clerk(orgs["harbin_dept"])
    client.force_login(clerk)
    client.post(reverse("acceptance:case-intake"), {"item": item.pk, "applicant_name": "赵六", "save_draft": "1"})
    draft = CaseDraft.objects.get()
    assert client.post(reverse("acceptance:draft-list"), {"draft": draft.pk}).status_code == 302
    assert not CaseDraft.objects.exists()
    assert "草稿箱是空的" in client.get(reverse("acceptance:draft-list")).content.decode()
