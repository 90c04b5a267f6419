from django.urls import path

from simpul.architecture import views

app_name = "architecture"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("exchange/", views.ExchangeView.as_view(), name="exchange"),
    path("exchange/export/", views.ExportView.as_view(), name="exchange_export"),
    path("elements/<int:pk>/impact/", views.ImpactView.as_view(), name="element_impact"),
    path("elements/<int:pk>/publish/", views.PublishRequestView.as_view(), name="element_publish"),
    path("elements/<int:pk>/publish-now/", views.PublishView.as_view(), name="element_publish_now"),
    path("elements/<int:pk>/propose-correction/", views.ProposeCorrectionView.as_view(), name="element_correction"),
    path("proposals/<int:pk>/revise/", views.ProposalReviseView.as_view(), name="changeproposal_revise"),
    path("proposals/<int:pk>/attachments/", views.ProposalAttachmentAddView.as_view(), name="proposal_attach"),
    path(
        "proposals/attachments/<int:pk>/",
        views.ProposalAttachmentDownloadView.as_view(),
        name="proposalattachment_download",
    ),
    path(
        "proposals/attachments/<int:pk>/remove/",
        views.ProposalAttachmentRemoveView.as_view(),
        name="proposalattachment_remove",
    ),
    path("diagram/", views.LayerDiagramView.as_view(), name="layer_diagram"),
    path("elements/<int:pk>/diagram/", views.ElementDiagramView.as_view(), name="element_diagram"),
    path("elements/<int:pk>/impact/diagram/", views.ImpactDiagramView.as_view(), name="impact_diagram"),
    *views.ElementViews.urls(),
    *views.BusinessProcessViews.urls(),
    *views.DataSetViews.urls(),
    *views.ServiceViews.urls(),
    *views.ApplicationViews.urls(),
    *views.InfrastructureComponentViews.urls(),
    *views.SecurityControlViews.urls(),
    *views.RelationshipViews.urls(),
    *views.ChangeProposalViews.urls(),
    *views.ReferenceCodeViews.urls(),
]
