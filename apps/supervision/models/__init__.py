"""supervision models: complaints and their workflow, the gov.cn exchange log, efficiency indicators."""
from apps.supervision.models.complaints import (  # noqa: F401
    DONE_STATUSES,
    Complaint,
    ComplaintKind,
    ComplaintSource,
    ComplaintStatus,
    DeadlineStatus,
)
from apps.supervision.models.efficiency import (  # noqa: F401,E402
    AssessmentMethod,
    IndicatorMetric,
    IndicatorRule,
    SupervisionIndicator,
    SupervisionTask,
    SupervisionTheme,
    TaskScore,
    TaskStatus,
)
from apps.supervision.models.exchange import (  # noqa: F401
    Direction,
    ExchangeMessage,
    ReconciliationRecord,
)
from apps.supervision.models.leaders import LeaderPost, LeaderPostKind  # noqa: F401,E402
from apps.supervision.models.requests import (  # noqa: F401
    ExtensionRequest,
    NetizenEvaluation,
    OverdueReminder,
    PublicationNotice,
    RequestStatus,
    WithdrawalRequest,
)
from apps.supervision.models.warnings import EarlyWarning, WarningLevel, WarningReason  # noqa: F401,E402
from apps.supervision.models.statistics import ComplaintStatistic, StatisticsRefresh  # noqa: F401,E402
