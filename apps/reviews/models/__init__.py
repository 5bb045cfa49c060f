"""好差评 models (one module per aggregate)."""
from apps.reviews.models.choices import (  # noqa: F401
    BAD_LEVELS, GOOD_LEVELS, EvaluationApiCategory, EvaluationChannel, EvaluationLevel, ObjectKind, QrKind,
)
from apps.reviews.models.clients import ClientAccessLog, OpenInterface, ReviewClient  # noqa: F401
from apps.reviews.models.config import (  # noqa: F401
    EvaluationIndicator, EvaluationSettings, EvaluationTag, HallAspect, IndicatorSource, RegionRectificationLimit,
)
from apps.reviews.models.disposals import (  # noqa: F401
    OPEN_STATUSES, Appeal, AppealStatus, BadReviewDisposal, DisposalStatus,
)
from apps.reviews.models.evaluations import (  # noqa: F401
    Evaluation, EvaluationReminder, HotlineOrderStatus, HotlineWorkOrder, NationalCheck, PublicationStatus,
)
from apps.reviews.models.quality import (  # noqa: F401
    AbnormalFlag, AbnormalStatus, EvaluationQualityRule, EvaluatorBlacklistEntry, QualityRuleKind, RuleSchedule,
    SensitiveWord, ShowcaseEntry, ShowcaseKind, WatchListEntry,
)
from apps.reviews.models.stats import (  # noqa: F401
    ClientAccessDaily, EvaluationAggregate, ImpressionAggregate, MatterSatisfactionPush, OverviewSnapshot,
)
from apps.reviews.models.system import (  # noqa: F401
    AnnouncementKind, ColumnKind, CommonProblemOpinion, DepartmentProfile, RecordStatus, ReviewAnnouncement, ReviewColumn,
    ReviewDictionary, ReviewDictionaryEntry,
)
