"""Fixtures of the stores tests: published matters made through apps.matters' own services, store staff
with the stores permissions, and helpers."""
from __future__ import annotations

import pytest

from apps.core.tests.factories import grant
from apps.identity.models import UserKind
from apps.identity.tests.factories import StaffFactory, UserFactory
from apps.matters.tests.conftest import people, published_item  # noqa: F401  (fixtures)
from apps.matters.tests.factories import children, element_data

PASSWORD = "Str0ng!Passw0rd#2026"


@pytest.fixture
def publish(people, orgs):  # noqa: F811
    """publish(name, where="harbin"|"daoli", **elements) → a published implementation item, through the
    matters services (declare + review a catalogue item, claim it for the body, submit, review)."""
    from apps.matters.services.declaration import (
        catalogue_item_claim, catalogue_item_declare, matter_review, matter_submit,
    )

    bodies = {"harbin": ("harbin", orgs["harbin_dept"]), "daoli": ("daoli", orgs["daoli_dept"])}

    def _publish(name: str, where: str = "harbin", **elements):
        catalogue = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"],
                                           data=element_data(name=name, **elements), children=children())
        matter_review(actor=people["harbin_establishment"], item=catalogue, approve=True, comment="同意")
        catalogue.refresh_from_db()
        key, body = bodies[where]
        item = catalogue_item_claim(actor=people[key], catalogue_item=catalogue, implementing_body=body)
        matter_submit(actor=people[key], item=item)
        matter_review(actor=people["harbin_establishment"], item=item, approve=True)
        item.refresh_from_db()
        assert item.status == "published"
        return item

    return _publish


def staff_with(username: str, organisation, *perms: str):
    user = grant(StaffFactory(username=username, organisation=organisation), *perms, role_code=f"r-{username}")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def portal_admin(orgs):
    return staff_with("portal_admin", orgs["province"], "stores.manage_keywordassociation",
                      "stores.manage_recommendedmatter", "stores.manage_prooflistentry", "stores.manage_zonematter",
                      "stores.manage_flagshipstore", "stores.maintain_store_content", "stores.view_flagshipstore",
                      "stores.review_storearticle")


@pytest.fixture
def resident(db):
    user = UserFactory(username="resident", kind=UserKind.NATURAL_PERSON, full_name="张秀英",
                       mobile_number="13800001111")
    user.set_password(PASSWORD)
    user.save()
    return user
