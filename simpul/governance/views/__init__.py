from simpul.governance.views.meetings import (
    DecisionViews,
    FollowUpActionViews,
    MeetingDownloadView,
    MeetingViews,
)
from simpul.governance.views.overview import OverviewView
from simpul.governance.views.policies import CoverageView, PolicyDownloadView, PolicyViews
from simpul.governance.views.teams import (
    DecreeDownloadView,
    DecreeViews,
    GrantRolesView,
    TeamMemberViews,
    TeamViews,
)

__all__ = [
    "CoverageView",
    "DecisionViews",
    "DecreeDownloadView",
    "DecreeViews",
    "FollowUpActionViews",
    "GrantRolesView",
    "MeetingDownloadView",
    "MeetingViews",
    "OverviewView",
    "PolicyDownloadView",
    "PolicyViews",
    "TeamMemberViews",
    "TeamViews",
]
