from simpul.core.models.apikeys import ApiKey
from simpul.core.models.audit import AuditChainHead, AuditEntry
from simpul.core.models.base import AuditedMixin, ChangeLoggedModel, OwnedModel, ScopedModelMixin
from simpul.core.models.files import StoredFile
from simpul.core.models.imports import ImportJob
from simpul.core.models.notifications import Notification
from simpul.core.models.workflow import WorkflowEvent

__all__ = [
    "ApiKey",
    "AuditChainHead",
    "AuditEntry",
    "AuditedMixin",
    "ChangeLoggedModel",
    "ImportJob",
    "Notification",
    "OwnedModel",
    "ScopedModelMixin",
    "StoredFile",
    "WorkflowEvent",
]
