"""Core models, one module per aggregate; re-exported here."""
from apps.core.models.organisations import REGION_WIDE_KINDS, Organisation, OrganisationKind  # noqa: F401
from apps.core.models.regions import Region, RegionLevel  # noqa: F401
