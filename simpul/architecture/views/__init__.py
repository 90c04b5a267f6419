"""Pages of the architecture module, one module per part of it; `urls.py` takes the views from here.

The views stay thin: what a user may see comes from `permissions.restrict`, every change from
`simpul.architecture.services`. The `ModelViews` configurations are also named here by the dotted
paths that import jobs recorded (`simpul.architecture.views.ApplicationViews`).
"""

from simpul.architecture.views.analysis import ComplianceView, ImpactView
from simpul.architecture.views.diagrams import ElementDiagramView, ImpactDiagramView, LayerDiagramView
from simpul.architecture.views.elements import (
    ApplicationViews,
    BusinessProcessViews,
    DataSetViews,
    ElementViews,
    InfrastructureComponentViews,
    ReferenceCodeViews,
    RelationshipViews,
    SecurityControlViews,
    ServiceViews,
)
from simpul.architecture.views.exchange import ExchangeView, ExportView
from simpul.architecture.views.overview import OverviewView
from simpul.architecture.views.proposals import (
    ChangeProposalViews,
    ProposalAttachmentAddView,
    ProposalAttachmentDownloadView,
    ProposalAttachmentRemoveView,
    ProposalReviseView,
    ProposeCorrectionView,
)
from simpul.architecture.views.publication import PublishRequestView, PublishView

__all__ = [
    "ApplicationViews",
    "BusinessProcessViews",
    "ChangeProposalViews",
    "ComplianceView",
    "DataSetViews",
    "ElementDiagramView",
    "ElementViews",
    "ExchangeView",
    "ExportView",
    "ImpactDiagramView",
    "ImpactView",
    "InfrastructureComponentViews",
    "LayerDiagramView",
    "OverviewView",
    "ProposalAttachmentAddView",
    "ProposalAttachmentDownloadView",
    "ProposalAttachmentRemoveView",
    "ProposalReviseView",
    "ProposeCorrectionView",
    "PublishRequestView",
    "PublishView",
    "ReferenceCodeViews",
    "RelationshipViews",
    "SecurityControlViews",
    "ServiceViews",
]
