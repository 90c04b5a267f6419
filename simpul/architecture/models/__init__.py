"""The architecture repository: elements of the six SPBE domains and the relationships between them.

Every element is one row of `Element` (so relationships, impact analysis, search and ArchiMate exchange
work over one table) plus, for the SPBE element types, one row of its typed table (multi-table
inheritance), which holds the fields that only that type has. An application recorded here is the same
record that the service desk, the application repository, the asset inventory and the evaluation use.

One module per subject: `reference_codes`, `elements` (with the typed tables), `relationships` (with the
graph version), `proposals` (with their attachments). Import from here: `simpul.architecture.models.X`.
"""

# Not sorted: Django registers the models in the order they are imported, and the permission page
# (docs/permissions.md) and the backup list them in that order.
# isort: off
from simpul.architecture.models.reference_codes import ReferenceCode, ReferenceTree, VerificationStatus
from simpul.architecture.models.elements import (
    DOMAIN_ACCESSORS,
    Application,
    BusinessProcess,
    DataSet,
    Element,
    InfrastructureComponent,
    SecurityControl,
    Service,
)
from simpul.architecture.models.relationships import GraphVersion, Relationship
from simpul.architecture.models.proposals import (
    ALREADY_PUBLISHED,
    ALREADY_REQUESTED,
    NO_PROPOSED_VALUES,
    NOT_PUBLISHED,
    ChangeProposal,
    ProposalAttachment,
    ProposalKind,
    ProposalStatus,
    PublicationState,
    attachment_file_path,
    by_the_proposer,
    still_fits,
)
# isort: on

__all__ = [
    "ALREADY_PUBLISHED",
    "ALREADY_REQUESTED",
    "DOMAIN_ACCESSORS",
    "NOT_PUBLISHED",
    "NO_PROPOSED_VALUES",
    "Application",
    "BusinessProcess",
    "ChangeProposal",
    "DataSet",
    "Element",
    "GraphVersion",
    "InfrastructureComponent",
    "ProposalAttachment",
    "ProposalKind",
    "ProposalStatus",
    "PublicationState",
    "ReferenceCode",
    "ReferenceTree",
    "Relationship",
    "SecurityControl",
    "Service",
    "VerificationStatus",
    "attachment_file_path",
    "by_the_proposer",
    "still_fits",
]
