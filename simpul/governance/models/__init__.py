from simpul.governance.models.documents import DocumentMixin
from simpul.governance.models.meetings import Decision, FollowUpAction, Meeting
from simpul.governance.models.policies import ENACTED_ONCE, KIND_ABBREVIATIONS, Policy, PolicyTopic
from simpul.governance.models.teams import Decree, Team, TeamMember

__all__ = [
    "ENACTED_ONCE",
    "KIND_ABBREVIATIONS",
    "Decision",
    "Decree",
    "DocumentMixin",
    "FollowUpAction",
    "Meeting",
    "Policy",
    "PolicyTopic",
    "Team",
    "TeamMember",
]
