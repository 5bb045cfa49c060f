from apps.stores.models.columns import ArticleStatus, StoreArticle, StoreColumn  # noqa: F401
from apps.stores.models.portal_content import (  # noqa: F401
    KeywordAssociation, ProofListEntry, ProofStatus, RecommendedMatter,
)
from apps.stores.models.stores import (  # noqa: F401
    DEFAULT_SECTIONS, DEPARTMENT_TEMPLATE_LIMIT, AuthMethod, FlagshipStore, ServiceKind, StoreAuthentication, StoreLevel,
    StoreSection, StoreService, StoreTemplate,
)
from apps.stores.models.zones import PartnerProvinceSite, Zone, ZoneMatter  # noqa: F401
from apps.stores.models.enterprise import (  # noqa: F401
    EnterpriseMessage, EnterpriseTypePolicyTag, MessageKind, ServiceSubscription,
)
