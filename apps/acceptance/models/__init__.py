"""acceptance models: halls, appointments, queue (re-exported)."""
from apps.acceptance.models.appointments import (  # noqa: F401
    ACTIVE_STATUSES, Appointment, AppointmentStatus, BlacklistEntry, BlacklistRule, BlacklistStatus, Channel,
    HallCheckInQr, NoShowPeriod, QrValidity,
)
from apps.acceptance.models.halls import (  # noqa: F401
    Hall, HallPicture, HallStaff, HallStaffKind, HallType, IntegrationMode, Window, WindowMatter, WindowStaff,
    WindowType,
)
from apps.acceptance.models.queue import QueueCounter, QueueTicket, TicketStatus  # noqa: F401
from apps.acceptance.models.slots import (  # noqa: F401
    BookableMatter, CalendarLabel, CalendarLabelDate, CalendarLabelKind, MatterGroup, MatterGroupQuota,
    MatterGroupUsage, Slot, SlotKind, SlotPlan,
)
from apps.acceptance.models.cases import (  # noqa: F401
    FINAL_STATUSES, ApplicantKind, Case, CaseChannel, CaseNumberSerial, CaseResult, CaseStatus,
)
from apps.acceptance.models.cases import (  # noqa: F401,E402
    CaseClassification, DeliveryMethod, DispatchStatus, IssuanceStatus,
)
from apps.acceptance.models.onewindow import (  # noqa: F401,E402
    CaseDelivery, CaseDocument, CaseMaterial, CaseSupplement, DocumentKind, MaterialMedium, MaterialSource,
    SupplementStatus,
)
from apps.acceptance.models.dispatch import (  # noqa: F401,E402
    ClientStatus, ClientSystem, Direction, ExchangeMessage, MatterRoute, NetworkType, Route, RouteStatus,
    SpecialProcedure, SystemType,
)
from apps.acceptance.models.codes import (  # noqa: F401,E402
    CaseCode, CaseCodeCall, CaseCodeReconciliation, CaseCodeSegment, CaseCodeStatus, ManualCodingMatter,
)
from apps.acceptance.models.config import (  # noqa: F401,E402
    Device, DeviceType, ItemGroup, ItemRemark, MessageTemplate, MessageType, PrintTemplate, RegionLink, ServiceList,
    SmsChannel,
)
from apps.acceptance.models.consult import (  # noqa: F401,E402
    Consultation, ConsultChannel, ConsultStatus, HotWord, KnowledgeHeat,
)
from apps.acceptance.models.bags import ArchiveBag, BagHandover  # noqa: F401,E402
from apps.acceptance.models.config import HallDepartment  # noqa: F401,E402
from apps.acceptance.models.complaints import (  # noqa: F401,E402
    CaseCodeComplaint, ComplaintKind, ComplaintStatus,
)
from apps.acceptance.models.drafts import CaseDraft  # noqa: F401,E402
from apps.acceptance.models.assist import MaterialGuide, RelatedItem, RelationKind  # noqa: F401,E402
from apps.acceptance.models.issuing import (  # noqa: F401,E402
    FINAL_EVENTS, DeliveryEvent, DeliveryEventKind, IssuingAccount, ResultReceipt, ResultType,
)
from apps.acceptance.models.booking_requests import BookingRequest, BookingRequestState  # noqa: F401,E402
from apps.acceptance.models.channels import (  # noqa: F401,E402
    ChannelVisit, VisitFunction, WarningMetric, WarningPlan,
)
from apps.acceptance.models.admins import (  # noqa: F401,E402
    CAPABILITY_PERMISSIONS, AdminCapability, AdminGrant, AdminLevel,
)
from apps.acceptance.models.attachments import Attachment, AttachmentBlob, AttachmentSource  # noqa: F401,E402
from apps.acceptance.models.province import ProvinceBookingReport  # noqa: F401,E402
from apps.acceptance.models.forms import (  # noqa: F401,E402
    Form, FormKind, FormMapping, FormPart, FormStatus, FormVersion, ItemForm, MappingTarget,
)
