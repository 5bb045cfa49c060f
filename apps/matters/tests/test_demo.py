"""seed_matters_demo: a believable published catalogue claimed by Harbin and Daoli, idempotent."""
import pytest
from django.core.management import call_command

from apps.matters.models import CatalogueItem, ImplementationItem, MatterStatus
from apps.matters.services.declaration import validate_time_limits

pytestmark = pytest.mark.django_db


def test_seed_builds_a_published_catalogue_and_is_idempotent(capsys):
    call_command("seed_demo", "--small")
    call_command("seed_matters_demo")
    catalogue = CatalogueItem.objects.all()
    assert catalogue.count() == 30 and not catalogue.exclude(status=MatterStatus.PUBLISHED).exists()
    assert ImplementationItem.objects.filter(implementing_body__name="道里区市场监督管理局").count() == 7
    assert ImplementationItem.objects.filter(region_id="230100000000").count() == 30
    licence = ImplementationItem.objects.get(name="建筑工程施工许可证核发")
    assert licence.implementation_code.endswith(licence.basic_code) and licence.materials.count() == 5
    for item in ImplementationItem.objects.prefetch_related("steps"):
        validate_time_limits(is_immediate=item.is_immediate, statutory=item.statutory_limit_working_days,
                             committed=item.committed_limit_working_days,
                             steps=[{"is_acceptance": s.is_acceptance, "step_limit_working_days":
                                     s.step_limit_working_days} for s in item.steps.all()])
        assert item.versions.count() == 1
    counts = (CatalogueItem.objects.count(), ImplementationItem.objects.count())
    call_command("seed_matters_demo")
    assert (CatalogueItem.objects.count(), ImplementationItem.objects.count()) == counts
    assert "目录清单新增 0，实施清单新增 0" in capsys.readouterr().out


def test_seed_without_organisations_says_so(capsys):
    call_command("seed_matters_demo")
    assert "请先运行 seed_demo" in capsys.readouterr().out
