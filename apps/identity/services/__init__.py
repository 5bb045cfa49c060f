"""Every write of identity: user management, authorisation, roles, system access requests.

Each function is keyword-only, validates everything before writing (a ValidationError with
Chinese field messages; nothing written), checks the actor's permission and data scope, and
runs in one transaction.
"""
from apps.identity.services.access import (  # noqa: F401
    access_request_approve,
    access_request_create,
    access_request_reject,
)
from apps.identity.services.grants import grantable_permissions, grantable_roles  # noqa: F401
from apps.identity.services.roles import role_create, role_update  # noqa: F401
from apps.identity.services.users import (  # noqa: F401
    user_authorise,
    user_create,
    user_delete,
    user_set_active,
    user_update,
)
