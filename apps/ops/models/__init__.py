"""Models of ops (安全运维管理), re-exported."""
from apps.ops.models.assets import (  # noqa: F401
    SEVERITY_RISK_WEIGHT, AssetGroup, AssetService, Availability, DiscoverySource, Finding, FindingKind,
    FindingStatus, HostAsset, HostCategory, RegistrationStatus, UsageStatus, WebsiteAsset,
)
from apps.ops.models.choices import HIGH_SEVERITIES, SEVERITY_RANK, Importance, Severity  # noqa: F401
from apps.ops.models.events import (  # noqa: F401
    Alert, AlertCategory, AlertOrigin, AlertStatus, CorrelationRule, Direction, FilterAction, FilterRule,
    IndicatorKind, KeywordRule, LogEvent, LogType, MetricSample, MetricThreshold, Outcome, Partitioning,
    StorageMethod, ThreatIndicator,
)
from apps.ops.models.work_orders import (  # noqa: F401
    OPEN_STATUSES, WorkOrder, WorkOrderPriority, WorkOrderStatus, WorkOrderSubject,
)
from apps.ops.models.access import (  # noqa: F401
    LoginChallenge, LoginPolicy, SecondFactor, SessionLimitAction, StaffSecondFactor, StaffSession, TwoFactorScope,
)
from apps.ops.models.help import HelpTopic  # noqa: F401,E402
from apps.ops.models.screens import MonitoringScreen  # noqa: F401,E402
from apps.ops.models.ipam import AddressKind, AddressStatus, IpAddress, Subnet  # noqa: F401,E402
