"""OPS-10.5 / 10.6: subnets planned by area and group; the subnet grid shows each address as allocated,
reserved, observed-but-unplanned or free; an address is reserved or allocated and typed from the page."""
import pytest
from django.urls import reverse

from apps.core.tests.factories import grant
from apps.ops.models import HostAsset, IpAddress, Subnet

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(ops_team):
    return grant(ops_team["manager"], "ops.view_ipam", "ops.manage_ipam")


@pytest.mark.spec("OPS-10.6", "OPS-10.5")
def test_plan_subnet_allocate_and_reserve_addresses_on_the_grid(client, planner, ops_team):
    client.force_login(planner)
    response = client.post(reverse("ops:subnets"), {"network": "10.20.1.0/24", "area": "省政务云", "group": "办件库",
                                                    "vlan": 120})
    assert response.status_code == 302
    subnet = Subnet.objects.get()
    assert client.post(reverse("ops:subnets"), {"network": "10.20.1.128/25", "area": "x"}).status_code == 400
    assert client.post(reverse("ops:subnets"), {"network": "10.20.2.5/24", "area": "x"}).status_code == 400
    assert client.post(reverse("ops:subnets"), {"network": "2001:db8:20::/120", "area": "省政务云",
                                                "group": "IPv6试点"}).status_code == 302
    HostAsset.objects.create(name="未登记主机", category="server", ip_address="10.20.1.77")

    url = reverse("ops:subnet-detail", args=[subnet.pk])
    assert client.post(url, {"address": "10.20.1.1", "status": "allocated", "kind": "gateway",
                             "holder": "核心交换机"}).status_code == 302
    assert client.post(url, {"address": "10.20.1.10", "status": "reserved", "kind": "management"}).status_code == 302
    for bad in ({"address": "10.20.2.1", "status": "allocated", "kind": "user"},
                {"address": "10.20.1.255", "status": "allocated", "kind": "user"},
                {"address": "10.20.1.11", "status": "allocated", "kind": "printer"}):
        assert client.post(url, bad).status_code == 400
    assert IpAddress.objects.count() == 2

    page = client.get(url).content.decode()
    assert 'data-ip="10.20.1.1" data-state="allocated"' in page
    assert 'data-ip="10.20.1.10" data-state="reserved"' in page
    assert 'data-ip="10.20.1.77" data-state="observed"' in page
    assert 'data-ip="10.20.1.78" data-state="free"' in page
    assert page.count("data-state=") == 256
    tree = client.get(reverse("ops:subnets")).content.decode()
    assert tree.index("省政务云") < tree.index("办件库") and "IPv6试点" in tree and "已分配 1" in tree

    client.post(url, {"release": "10.20.1.10"})
    assert not IpAddress.objects.filter(address="10.20.1.10").exists()

    client.force_login(ops_team["analyst"])
    assert client.get(url).status_code == 403
    grant(ops_team["analyst"], "ops.view_ipam")
    assert client.get(url).status_code == 200
    assert client.post(url, {"address": "10.20.1.5", "status": "allocated", "kind": "user"}).status_code == 403
    assert not IpAddress.objects.filter(address="10.20.1.5").exists()
