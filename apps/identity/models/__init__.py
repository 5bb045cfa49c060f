"""Identity models, one module per aggregate; everything is re-exported here."""
from apps.identity.models.agents import AgentAuthorisation, AgentScope, AgentStatus  # noqa: F401
from apps.identity.models.login import (  # noqa: F401
    LoginFailure,
    QrLogin,
    QrLoginStatus,
    SmsCode,
    SmsCodePurpose,
)
from apps.identity.models.sso import (  # noqa: F401
    ClientSystem,
    ClientSystemKind,
    SsoTicket,
    SsoTicketKind,
)
from apps.identity.models.users import *  # noqa: F401,F403
from apps.identity.models.users import (  # noqa: F401
    EXIT_ENTRY_ID_TYPES,
    REVIEW_ACCESS_REQUEST_PERMISSION,
    AccessRequestStatus,
    EnterpriseType,
    IdType,
    RealNameLevel,
    RegistrationChannel,
    ReviewStatus,
    Role,
    RoleCode,
    SystemAccessRequest,
    TargetSystem,
    User,
    UserKind,
)
