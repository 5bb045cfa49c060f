"""Channel volume analysis (ACC-2.6) and demand management with warning plans (ACC-5.11) as hall
administrators meet them: the public pages count visits per channel and function, the monitoring page
shows real-time, today's and total visits, bookings per channel, demand against capacity per hall, and
raises warnings of the plans in scope."""
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.acceptance.models import ChannelVisit, WarningPlan
from apps.acceptance.services.booking import appointment_book
from apps.acceptance.services.channels import visit_record
from apps.acceptance.tests import factories as f

URL = "/portal/acceptance/channels/"
PERMS = ("view_channelvisit", "add_warningplan", "view_warningplan")


def _weekday():
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@pytest.mark.django_db
@pytest.mark.spec("ACC-2.6", "ACC-5.11")
def test_channel_visits_bookings_demand_and_warning_plans(client, orgs, hall, hall_admin, other_region_admin,
                                                          citizens):
    food = f.bookable(hall)
    slot = f.slot(food, _weekday(), capacity=2)
    # visits: the PC site, the APP (header) and the mini-program (?channel=) on different functions
    client.get(reverse("acceptance-public:halls"))
    client.get(reverse("acceptance-public:hall", args=[hall.pk]), HTTP_X_CLIENT_CHANNEL="app")
    client.get(reverse("acceptance-public:hall", args=[hall.pk]), HTTP_X_CLIENT_CHANNEL="app")
    client.get(reverse("acceptance-public:lookup") + "?channel=mini_program")
    client.get(reverse("acceptance-public:hall", args=[hall.pk]), HTTP_X_CLIENT_CHANNEL="bogus")   # → PC
    client.get(reverse("acceptance-public:hall", args=[999999]))                           # 404: not counted
    earlier = timezone.now() - timedelta(days=3)
    visit_record(channel="app", function="book", now=earlier)                             # an older visit
    counts = {(v.channel, v.function): v.count for v in ChannelVisit.objects.filter(hour__gte=timezone.now()
                                                                                    - timedelta(hours=1))}
    assert counts == {("pc", "halls"): 1, ("app", "hall"): 2, ("mini_program", "lookup"): 1, ("pc", "hall"): 1}
    # bookings through two channels; the slot is then full (demand = 100 %)
    appointment_book(slot=slot, actor=citizens[0], channel="app", notify=False, **f.booker(1))
    appointment_book(slot=slot, actor=citizens[1], channel="pc", notify=False, **f.booker(2))

    f.grant(hall_admin, *PERMS)
    client.force_login(hall_admin)
    page = client.get(URL).content.decode()
    assert 'data-testid="channel-volume"' in page and 'data-testid="function-volume"' in page
    app_row = page.split('data-channel="app"')[1].split("</tr>")[0]
    assert [c.split("</td>")[0] for c in app_row.split("<td>")[2:]] == ["2", "2", "3", "1"]   # now, today, total, bookings
    demand = page.split(f'data-hall="{hall.pk}"')[1].split("</tr>")[0]
    assert "<td>2</td><td>2</td><td>100%</td><td>1</td>" in demand
    assert 'data-testid="warnings"' not in page
    # warning plans: bad input refused with nothing written; a plan over its threshold raises a warning
    client.post(URL, {"name": "", "hall": hall.pk, "metric": "fill_rate", "threshold": "80"})
    client.post(URL, {"name": "号源紧张", "hall": hall.pk, "metric": "fill_rate", "threshold": "180"})
    assert not WarningPlan.objects.exists()
    client.post(URL, {"name": "号源紧张", "hall": hall.pk, "metric": "fill_rate", "threshold": "80"})
    client.post(URL, {"name": "访问高峰", "hall": hall.pk, "metric": "hour_visits", "threshold": "100"})
    page = client.get(URL).content.decode()
    warnings = page.split('data-testid="warnings"')[1].split("</section>")[0]
    assert "号源紧张" in warnings and "访问高峰" not in warnings
    # scope: another region's administrator neither sees nor adds plans of this hall, nor its demand
    f.grant(other_region_admin, *PERMS)
    client.force_login(other_region_admin)
    page = client.get(URL).content.decode()
    assert "号源紧张" not in page and f'data-hall="{hall.pk}"' not in page
    client.post(URL, {"name": "越权", "hall": hall.pk, "metric": "fill_rate", "threshold": "10"})
    assert WarningPlan.objects.count() == 2
    # authorisation: anonymous → login; a citizen or staff without the permission → 403
    client.logout()
    assert client.get(URL).status_code == 302
    client.force_login(citizens[0])
    assert client.get(URL).status_code == 403
    client.force_login(f.StaffFactory(username="no_perm", organisation=orgs["harbin_dept"]))
    assert client.get(URL).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_concurrent_visits_are_all_counted(orgs):
    def visit():
        try:
            for _ in range(20):
                visit_record(channel="pc", function="hall")
        finally:
            connection.close()

    threads = [threading.Thread(target=visit) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ChannelVisit.objects.get(channel="pc", function="hall").count == 100
