"""The governance module's evidence hints for the evaluation (`SimpulModule.evidence_hints`): for an
indicator that a policy topic serves, the instansi's enacted policies on that topic (and those linked to
the indicator directly) are proposed as evidence. Drafts, revoked and replaced policies are named in the
facts but never proposed: a policy in force is what the criterion asks for."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from simpul.core.links import EvidenceHint
from simpul.governance import coverage, topics

MAX_LISTED = 10


def _names(policies) -> str:
    shown = [str(policy) for policy in policies[:MAX_LISTED]]
    rest = len(policies) - len(shown)
    if rest > 0:
        shown.append(ngettext("and %(count)s more", "and %(count)s more", rest) % {"count": rest})
    return "; ".join(shown) or "–"


def policy_hints(user, indicator, instansi_id: int) -> list[EvidenceHint]:
    """One hint for an indicator some policy topic serves (or a policy names); none for other indicators."""
    (row,) = coverage.rows_for(user, instansi_id, indicator.framework, [indicator])
    if not (row.topics or row.enacted or row.drafts or row.former):
        return []
    catalogue = topics.catalogue()
    topic_names = ", ".join(topic.name for topic in row.topics) or "–"
    hint = EvidenceHint(
        key="governance.policies",
        title=_("Policies in the policy registry: %(topics)s") % {"topics": topic_names},
        why=catalogue.hint_why,
        level=catalogue.enacted_level.get(indicator.framework.code),
        records=list(row.enacted),
    )
    hint.facts = [
        (_("Topics"), topic_names),
        (_("Enacted policies"), _names(row.enacted)),
        (_("Drafts"), _names(row.drafts)),
        (_("Revoked or replaced"), _names(row.former)),
    ]
    if row.enacted:
        hint.suggestion = ngettext(
            "Simpul's policy registry holds %(count)s enacted policy on this indicator's topic.",
            "Simpul's policy registry holds %(count)s enacted policies on this indicator's topic.",
            len(row.enacted),
        ) % {"count": len(row.enacted)}
    elif row.drafts:
        hint.suggestion = _(
            "Simpul's policy registry holds only drafts on this topic; a draft is not an enacted policy."
        )
    else:
        hint.suggestion = _(
            "Simpul's policy registry holds no enacted policy on this topic you may see; record it in the policy registry."
        )
    return [hint]
