"""licences models: PKI (certificates and key store), seals, signing and verification logs."""

from .pki import CertificateKind, KeyStorage, SigningCertificate  # noqa: F401
from .seals import ProductionMode, Seal, SealIssuer, SealMaker, SealStatus  # noqa: F401
from .logs import SigningLog, VerificationLog  # noqa: F401
from .licences import (  # noqa: F401
    FaceParameter, FaceParameterKind, HolderKind, Licence, LicenceCategory, LicenceCodeCounter, LicenceOperation, LicenceSource,
    LicenceStatus, LicenceTemplate,
)
from .management import (  # noqa: F401
    FilingStatus, ImportStatus, LicenceFiling, LicenceImportBatch, SealingMethod, SealSource, TemplateMapping,
)
from .signing import (  # noqa: F401
    BusinessSystem, ClientSigningRequest, ClientSigningStatus, SealGrant, SigningRule, SigningTemplate,
)
from .catalogue import CatalogueEntryRequest, CatalogueEntryRequestStatus  # noqa: F401
from .sharing import (  # noqa: F401
    AccessDailyCount, LicenceApiGrant, CatalogueRecord, CatalogueSyncEvent, LicenceRoute, SharingApplication,
    SharingInterface, SharingLog, SharingOutcome, SyncAction,
)
from .generation import GenerationChannel  # noqa: F401
