from apps.analytics.models.datasets import TopicCategory, TopicDataset, TopicFact  # noqa: F401
from apps.analytics.models.embed import EmbedClient, EmbedClientKind  # noqa: F401
from apps.analytics.models.logs import DataLog, DataLogKind  # noqa: F401
from apps.analytics.models.visits import VisitBatch, VisitChannel, VisitCount  # noqa: F401
