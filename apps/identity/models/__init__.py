"""Identity models, one module per aggregate; everything is re-exported here."""
from apps.identity.models.addresses import DeliveryAddress  # noqa: F401
from apps.identity.models.agents import AgentAuthorisation, AgentScope, AgentStatus  # noqa: F401
from apps.identity.models.apis import ApiEndpoint, ApiGrant, BusinessControl  # noqa: F401
from apps.identity.models.city_data import (  # noqa: F401,E402
    CityDataImport,
    CityDataImportKind,
    CityDataImportSource,
    CityDataImportStatus,
)
from apps.identity.models.external import (  # noqa: F401
    IMPLICIT_LOGIN_METHODS,
    ExternalIdentity,
    ExternalProvider,
    LoginMethod,
    RealNameVerification,
    VerificationMethod,
)
from apps.identity.models.login import (  # noqa: F401
    LoginFailure,
    QrLogin,
    QrLoginKind,
    QrLoginStatus,
    SmsCode,
    SmsCodePurpose,
)
from apps.identity.models.password_links import PasswordInitLink  # noqa: F401,E402
from apps.identity.models.review_images import ImageSide, RegistrationImage  # noqa: F401,E402
from apps.identity.models.sso import (  # noqa: F401
    ClientSystem,
    ClientSystemKind,
    SsoTicket,
    SsoTicketKind,
)
from apps.identity.models.users import *
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
from apps.identity.models.totp import StaffTotpDevice  # noqa: F401,E402
