"""Identity models, one module per aggregate; everything is re-exported here."""
from apps.identity.models.users import *  # noqa: F401,F403
from apps.identity.models.users import (  # noqa: F401
    REVIEW_ACCESS_REQUEST_PERMISSION,
    AccessRequestStatus,
    EXIT_ENTRY_ID_TYPES,
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
from apps.identity.models.login import LoginFailure, QrLogin, QrLoginStatus, SmsCode, SmsCodePurpose  # noqa: F401
from apps.identity.models.sso import ClientSystem, ClientSystemKind, SsoTicket, SsoTicketKind  # noqa: F401
from apps.identity.models.agents import AgentAuthorisation, AgentScope, AgentStatus  # noqa: F401
