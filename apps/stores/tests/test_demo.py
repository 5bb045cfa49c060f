"""The demo province (`make run`) has working flagship stores: 13 × 3 city-level template sets, department
stores with their own sets, zones, recommendations and proofs; every public page renders."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.stores.models import FlagshipStore, StoreLevel, StoreTemplate, Zone, ZoneMatter

pytestmark = pytest.mark.django_db


@pytest.mark.spec("STORE-1.2", "STORE-1.3", "STORE-1.4", "STORE-4.5")
def test_demo_seed_builds_working_stores(client, capsys):
    call_command("seed_demo", "--small")
    call_command("seed_demo")                                          # idempotent
    capsys.readouterr()
    for level in (StoreLevel.CITY, StoreLevel.COUNTY, StoreLevel.TOWNSHIP):
        assert StoreTemplate.objects.filter(level=level).count() == 13
    assert FlagshipStore.objects.filter(level=StoreLevel.PROVINCIAL_DEPARTMENT, is_published=True).count() >= 6
    assert ZoneMatter.objects.filter(zone=Zone.ELDERLY).count() == 6
    pages = [reverse("stores-public:index"), reverse("stores-public:elderly"), reverse("stores-public:proofs"),
             reverse("stores-public:zone", args=["province_wide"]), reverse("stores-public:zone", args=["cross_province"]),
             reverse("stores-public:store", args=["harbin"]), reverse("stores-public:store", args=["daoli"]),
             reverse("stores-public:store", args=["gat"])]
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert 'data-testid="recommended"' in client.get(reverse("stores-public:index")).content.decode()
    found = client.get("/api/v1/stores/search/", {"q": "我要开饭店"}).json()
    assert found["expansions"]["开饭店"] == ["食品经营许可", "餐饮"]
