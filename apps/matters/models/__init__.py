"""Matters models, one module per aggregate; re-exported here."""
from apps.matters.models.enums import (  # noqa: F401
    EXERCISE_LEVEL_OF_REGION, CaseType, ChangeRequestStatus, ChangeRoute, CrossRegionScope, ExerciseLevel,
    HandlingForm, ImplementingBodyNature, MatterStatus, MatterType,
)
from apps.matters.models.coding import CodeCounter, CodeTarget, CodingRule, CodingRuleSegment, SegmentKind  # noqa: F401
from apps.matters.models.items import (  # noqa: F401
    IMMEDIATE_CHANGE_FIELDS, CatalogueItem, ImplementationItem, MatterElements,
)
from apps.matters.models.elements import ApplicationMaterial, FeeItem, ProcessStep, Situation  # noqa: F401
from apps.matters.models.versions import ChangeRequest, MatterVersion  # noqa: F401
from apps.matters.models.dynamics import (  # noqa: F401
    Delegation, DelegationBatch, MatterNotification, NotificationKind, RequestStatus, SuspensionRequest,
)
from apps.matters.models.control import ControlOpinion, ControlScope, ControlStatus, ElementControl  # noqa: F401
from apps.matters.models.quality import QualityIssue, QualityRule, QualityRuleKind, QualityScan  # noqa: F401
from apps.matters.models.optimisation import (  # noqa: F401
    CORRECTION_TABS, CorrectionRequest, CorrectionStatus, MatterTag, TagGrant, TaggedItem,
)
from apps.matters.models.resources import DataDemand, DemandStatus, LicenceLink, LinkTarget  # noqa: F401
from apps.matters.models.knowledge import (  # noqa: F401
    BusinessScope, GuidanceStage, KnowledgeEntry, KnowledgeEvaluation, KnowledgeKind, LawLevel, LawType, OneThing,
)
from apps.matters.models.analysis import OptimisationDirection, OptimisationProposal, ProposalStatus  # noqa: F401
from apps.matters.models.systems import (  # noqa: F401
    BusinessSystem, LicenceCatalogueRequest, LicenceRequestStatus, ProofAnnotation, SubjectType, SystemLink,
)
from apps.matters.models.upgrade import (  # noqa: F401
    AddressError, AddressErrorCategory, FeaturedTheme, IntermediaryService, TemporaryItem,
)
from apps.matters.models.business import BusinessItem, ImplementationSetting  # noqa: F401
from apps.matters.models.documents import DocumentKind, DocumentTemplate  # noqa: F401
from apps.matters.models.staged import (  # noqa: F401
    CustomReviewRule, DemonstrationDepartment, DemonstrationReview, DemonstrationReviewer, StagedReview,
)
from apps.matters.models.policies import (  # noqa: F401
    LawItemLink, LawSource, Policy, PolicyKind, PolicyStatus, PolicySubscription, PolicyTag,
)
from apps.matters.models.sync import (  # noqa: F401
    OrganisationChange, OrgChangeOperation, OrgChangeStatus, PowerItemLink, PowerListEntry, PowerType,
)
from apps.matters.models.proxy import (  # noqa: F401
    PROXY_MIN_AGE, ProxyAuthorisation, ProxyBasis, ProxyHandling, ProxyStatus,
)
from apps.matters.models.public import PublicGuide  # noqa: F401,E402
