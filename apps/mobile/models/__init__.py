"""Models of mobile: one module per aggregate, re-exported here."""
from apps.mobile.models.apps import (  # noqa: F401
    AnomalyStatus, AppAnomaly, AppComponentPermission, AppForm, AppInterfaceBinding, AppReview, AppReviewStatus,
    AppType, AppVersion, AppVisitDay, Channel, Component, ComponentKind, EncryptionMethod, ListingMode,
    ListingStatus, MobileApp, NetworkEnvironment, PushMessage, RiskCategory, UserBinding,
)
from apps.mobile.models.interfaces import (  # noqa: F401
    HealthStatus, HttpMethod, InterfaceCallDay, InterfaceCategory, InterfaceLog, InterfaceResource, InterfaceReview,
    InterfaceSubscription, InterfaceTest, LogModule, RequestStatus, ResourceCatalogue, ResourceStatus,
    WithdrawalRequest,
)
from apps.mobile.models.scenarios import AppScenario, ScenarioStatus, ScenarioType  # noqa: F401
