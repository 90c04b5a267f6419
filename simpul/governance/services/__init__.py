"""The governance module's operations: every state change of a policy, a decree's role grants and a
follow-up action is one of these functions, taking the acting user, checking permission first and
writing (with its workflow event and notifications) in one transaction. Pages, the API, the demo and
jobs call them; nothing else writes those states.
"""

from simpul.governance.services.actions import (
    ACTION_STEPS,
    assign_action,
    cancel_action,
    complete_action,
    late_q,
    owner_opd_people,
    reopen_action,
    update_action,
)
from simpul.governance.services.policies import POLICY_STEPS, enact_policy, replace_policy, revoke_policy
from simpul.governance.services.roles import RoleGrantPlan, grant_roles, plan_role_grants

__all__ = [
    "ACTION_STEPS",
    "POLICY_STEPS",
    "RoleGrantPlan",
    "assign_action",
    "cancel_action",
    "complete_action",
    "enact_policy",
    "grant_roles",
    "late_q",
    "owner_opd_people",
    "plan_role_grants",
    "reopen_action",
    "replace_policy",
    "revoke_policy",
    "update_action",
]
