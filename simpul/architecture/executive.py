"""The architecture's part of the executive dashboard (`SimpulModule.executive_sections`): its health.

The master plan's compliance rules (`compliance.check`) are run over what the user may view; the section
counts the findings, the serious ones and the OPDs that have any, and lists them per OPD (for an OPD's
report card: per rule). Each count links to the compliance page narrowed to that OPD.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from simpul.architecture import compliance
from simpul.architecture.models import Element
from simpul.core import permissions
from simpul.core.executive import Figure, Section


def compliance_url(instansi_id: int, opd_id: int | None = None, rule: str = "") -> str:
    """The compliance page of the instansi, narrowed to one OPD when given, at one rule's findings."""
    query = {"instansi": instansi_id}
    if opd_id is not None:
        query["opd"] = opd_id
    anchor = f"#rule-{rule}" if rule else ""
    return f"{reverse('architecture:compliance')}?{urlencode(query)}{anchor}"


def sections(user, instansi, opd=None) -> list[Section]:
    """Compliance findings of `instansi` by OPD, or of `opd` (a PerangkatDaerah) by rule."""
    if not permissions.has_model_permission(user, "view", Element):
        return []
    findings = compliance.check(user, instansi).findings
    opd_id = opd.pk if opd is not None else None
    if opd is not None:
        findings = [finding for finding in findings if finding.opd_id == opd.pk]
    high = [finding for finding in findings if finding.rule.severity == "high"]
    figures = [
        Figure(
            _("Compliance findings"),
            str(len(findings)),
            compliance_url(instansi.pk, opd_id),
            _("rules of the SPBE master plan that the recorded architecture breaks"),
            "warn" if findings else "good",
        ),
        Figure(
            _("Serious findings"),
            str(len(high)),
            compliance_url(instansi.pk, opd_id, high[0].rule.code if high else ""),
            _("findings of the rules of high severity"),
            "bad" if high else "good",
        ),
    ]
    if opd is None:
        by_opd = Counter((finding.opd_id, finding.opd_name) for finding in findings)
        most = max(by_opd.values(), default=0)
        figures.append(
            Figure(
                _("OPDs with findings"),
                str(len(by_opd)),
                compliance_url(instansi.pk),
                _("each OPD fixes the findings on its own records"),
                "warn" if by_opd else "good",
            )
        )
        rows = [
            {
                "label": name,
                "value": count,
                "max": most,
                "url": compliance_url(instansi.pk, found_opd),
                "tone": "warn",
            }
            for (found_opd, name), count in sorted(by_opd.items(), key=lambda item: (-item[1], item[0][1]))
        ]
        headers = (_("OPD"), _("Findings"))
    else:
        by_rule = Counter(finding.rule.code for finding in findings)
        most = max(by_rule.values(), default=0)
        rows = [
            {
                "label": str(rule.title),
                "value": by_rule[code],
                "max": most,
                "url": compliance_url(instansi.pk, opd_id, code),
                "tone": "bad" if rule.severity == "high" else "warn",
            }
            for code, rule in compliance.RULES.items()
            if by_rule[code]
        ]
        headers = (_("Rule"), _("Findings"))
    note = "" if findings else _("No findings: every rule of the master plan holds.")
    return [
        Section(
            "architecture",
            _("Architecture health"),
            figures=figures,
            url=compliance_url(instansi.pk, opd_id),
            rows=rows,
            # After the index, the roadmap and the policies (default 100), as the Tim Koordinasi reads them.
            order=110,
            note=note,
            row_headers=headers,
        )
    ]
