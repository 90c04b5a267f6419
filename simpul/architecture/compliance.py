"""Compliance of the recorded architecture with the rules of the SPBE master plan (Bab IV, 4.2).

Each rule is a function returning findings; every finding links to the record to fix. Rules read only
what the user may see, so an OPD operator gets the findings of their own OPD.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.architecture.choices import ApplicationKind, ApprovalStatus, ElementStatus, Hosting, InfrastructureKind
from simpul.architecture.models import Application, DataSet, InfrastructureComponent, Relationship, Service
from simpul.core import permissions
from simpul.organizations.models import Instansi, PerangkatDaerah

ACTIVE = (ElementStatus.PLANNED, ElementStatus.DEVELOPMENT, ElementStatus.OPERATIONAL)
# Hosting that is not the OPD's choice: national applications and non-hosted channels.
HOSTING_EXEMPT = (Hosting.DATA_CENTRE, Hosting.CENTRAL_GOVERNMENT, Hosting.NOT_HOSTED)


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    basis: str  # the master-plan section that states the rule
    severity: str  # "high" | "medium" | "low"


@dataclass
class Finding:
    rule: Rule
    message: str
    url: str
    opd_id: int | None
    opd_name: str
    record: str
    # The other record of a finding about a pair (duplicate applications); empty otherwise.
    related_record: str = ""
    related_url: str = ""


RULES = {
    rule.code: rule
    for rule in [
        Rule(
            "hosting",
            gettext_lazy("Application hosted outside the Pusat Data without approval"),
            "4.2.2, 4.2.4.1",
            "high",
        ),
        Rule("server_room", gettext_lazy("OPD server room without approval"), "4.2.2, 4.2.4.1", "high"),
        Rule(
            "specific_docs",
            gettext_lazy("Specific application without manual or source code in the repository"),
            "4.2.5.2–3",
            "medium",
        ),
        Rule("domain", gettext_lazy("Address outside the official domain"), "4.2.5.3 (1)", "medium"),
        Rule("service_application", gettext_lazy("Service without an application"), "4.2.3", "medium"),
        Rule("service_owner", gettext_lazy("Service whose owner OPD is inactive"), "4.2.3", "medium"),
        Rule("data_classification", gettext_lazy("Data set without security classification"), "4.2.6.1", "medium"),
        Rule(
            "duplicate_application", gettext_lazy("Applications for the same function in several OPDs"), "4.1.3", "low"
        ),
    ]
}


def _finding(rule_code: str, message: str, obj, opd) -> Finding:
    return Finding(
        RULES[rule_code], message, obj.get_absolute_url(), getattr(opd, "pk", None), str(opd or "—"), str(obj)
    )


def _visible(queryset, user):
    return permissions.restrict(queryset, user, "view")


def hosting_rule(user, instansi: Instansi) -> list[Finding]:
    apps = _visible(Application.objects.filter(owner__instansi=instansi, status__in=ACTIVE), user)
    apps = apps.exclude(hosting__in=HOSTING_EXEMPT).exclude(hosting_exception=ApprovalStatus.APPROVED)
    return [
        _finding(
            "hosting",
            _("%(app)s is hosted at “%(hosting)s” without an approved exception.")
            % {"app": app, "hosting": app.get_hosting_display()},
            app,
            app.owner,
        )
        for app in apps.select_related("owner")
    ]


def server_room_rule(user, instansi: Instansi) -> list[Finding]:
    rooms = _visible(
        InfrastructureComponent.objects.filter(
            owner__instansi=instansi, kind=InfrastructureKind.SERVER_ROOM, status__in=ACTIVE
        ).exclude(approval=ApprovalStatus.APPROVED),
        user,
    )
    return [
        _finding(
            "server_room",
            _("%(room)s has no approval from the Bupati and DISKOMINFO.") % {"room": room},
            room,
            room.owner,
        )
        for room in rooms.select_related("owner")
    ]


def specific_docs_rule(user, instansi: Instansi) -> list[Finding]:
    apps = _visible(
        Application.objects.filter(owner__instansi=instansi, kind=ApplicationKind.SPECIFIC, status__in=ACTIVE).filter(
            Q(has_manual=False) | Q(has_source_code=False)
        ),
        user,
    )
    findings = []
    for app in apps.select_related("owner"):
        missing = [
            label
            for flag, label in ((app.has_manual, _("user manual")), (app.has_source_code, _("source code")))
            if not flag
        ]
        findings.append(
            _finding(
                "specific_docs",
                _("%(app)s lacks: %(missing)s.") % {"app": app, "missing": ", ".join(missing)},
                app,
                app.owner,
            )
        )
    return findings


def is_within_domain(url: str, domain: str) -> bool:
    """Whether the URL's host is the official domain or a sub-domain of it."""
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower().rstrip(".")
    domain = domain.lower().rstrip(".")
    return bool(host) and (host == domain or host.endswith(f".{domain}"))


def domain_rule(user, instansi: Instansi) -> list[Finding]:
    findings = []
    for model in (Application, Service):
        records = _visible(model.objects.filter(owner__instansi=instansi, status__in=ACTIVE).exclude(url=""), user)
        if model is Application:
            # National applications (SP4N-LAPOR!, SPSE) live on the central government's domains.
            records = records.exclude(hosting=Hosting.CENTRAL_GOVERNMENT)
        for record in records.select_related("owner"):
            if not is_within_domain(record.url, instansi.official_domain):
                findings.append(
                    _finding(
                        "domain",
                        _("%(name)s is at %(url)s, not a sub-domain of %(domain)s.")
                        % {"name": record, "url": record.url, "domain": instansi.official_domain},
                        record,
                        record.owner,
                    )
                )
    opds = _visible(PerangkatDaerah.objects.filter(instansi=instansi, is_active=True).exclude(website=""), user)
    for opd in opds:
        if not is_within_domain(opd.website, instansi.official_domain):
            findings.append(
                _finding(
                    "domain",
                    _("The website of %(name)s (%(url)s) is not a sub-domain of %(domain)s.")
                    % {"name": opd, "url": opd.website, "domain": instansi.official_domain},
                    opd,
                    opd,
                )
            )
    return findings


def service_rules(user, instansi: Instansi) -> list[Finding]:
    realised = Relationship.objects.filter(target=OuterRef("pk"), kind="realizes")
    services = _visible(Service.objects.filter(owner__instansi=instansi, status__in=ACTIVE), user)
    findings = [
        _finding(
            "service_application",
            _("No application realises %(service)s.") % {"service": service},
            service,
            service.owner,
        )
        for service in services.annotate(has_app=Exists(realised)).filter(has_app=False).select_related("owner")
    ]
    findings += [
        _finding(
            "service_owner",
            _("%(service)s belongs to the inactive OPD %(opd)s.") % {"service": s, "opd": s.owner},
            s,
            s.owner,
        )
        for s in services.filter(owner__is_active=False).select_related("owner")
    ]
    return findings


def data_classification_rule(user, instansi: Instansi) -> list[Finding]:
    data_sets = _visible(DataSet.objects.filter(owner__instansi=instansi, status__in=ACTIVE, classification=""), user)
    return [
        _finding("data_classification", _("%(data)s has no security classification.") % {"data": d}, d, d.owner)
        for d in data_sets.select_related("owner")
    ]


_STOPWORDS = {
    "aplikasi",
    "sistem",
    "informasi",
    "si",
    "sim",
    "e",
    "layanan",
    "manajemen",
    "elektronik",
    "online",
    "berbasis",
    "dan",
    "di",
    "kabupaten",
    "kota",
    "pemerintah",
    "daerah",
    "web",
    "the",
    "app",
}


def _words(text: str) -> list[str]:
    """The words of `text` in lower case without accents; spaces, hyphens, dots and underscores separate."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return re.findall(r"[a-z0-9]+", plain)


def function_tokens(name: str, description: str = "") -> set[str]:
    return {w for w in _words(f"{name} {description}") if w not in _STOPWORDS and len(w) > 2}


def name_keys(name: str) -> tuple[str, str]:
    """(significant, whole): the name's words run together, without and with the common words.

    Running the words together makes "e-SAKIP", "eSAKIP", "E SAKIP" and "e-Sakip " one spelling; the
    whole key keeps the common words so that "SIM PEG" still meets "SIMPEG".
    """
    words = _words(name)
    whole = "".join(words) or name.strip().casefold()
    return "".join(w for w in words if w not in _STOPWORDS) or whole, whole


# Below this many letters a name is an acronym, and one letter more or less is another application
# (SIMAKDA / SIMBADA, SIPP / SIPD): short names are compared by spelling only when they share a word
# ("SIMPEG" / "SIMPEG 2"), otherwise they match only when they are the same once normalised.
SPELLING_MIN_LENGTH = 8


def _name_words(name: str) -> set[str]:
    return {w for w in _words(name) if w not in _STOPWORDS}


def _similar_names(a: tuple[str, str], b: tuple[str, str], words_a: set[str], words_b: set[str]) -> bool:
    if a[0] == b[0] or a[1] == b[1]:
        return True
    if min(len(a[0]), len(b[0])) < SPELLING_MIN_LENGTH and not words_a & words_b:
        return False
    return difflib.SequenceMatcher(None, a[0], b[0]).ratio() >= 0.85


def _similar_functions(tokens_a: set[str], tokens_b: set[str]) -> bool:
    if len(tokens_a) >= 3 and len(tokens_b) >= 3:
        # Overlap, not Jaccard: a terse description inside a longer one is still the same function.
        overlap = len(tokens_a & tokens_b) / min(len(tokens_a), len(tokens_b))
        return overlap >= 0.7
    return False


def similar_applications(a: Application, b: Application) -> bool:
    """Same function by name (close spelling) or by description (shared key words)."""
    names = name_keys(a.name), name_keys(b.name), _name_words(a.name), _name_words(b.name)
    return _similar_names(*names) or _similar_functions(
        function_tokens(a.name, a.description), function_tokens(b.name, b.description)
    )


def _blocks(keys: tuple[str, str], tokens: set[str]) -> set[str]:
    """The blocks an application is compared within: its key words (short names sharing a word meet
    there), both name keys, and the trigrams of a long significant key (two long names close enough to
    match share at least one trigram)."""
    significant, whole = keys
    blocks = {f"w:{token}" for token in tokens} | {f"n:{significant}", f"n:{whole}"}
    if len(significant) >= SPELLING_MIN_LENGTH:
        blocks |= {f"3:{significant[i : i + 3]}" for i in range(len(significant) - 2)}
    return blocks


def duplicate_application_rule(user, instansi: Instansi) -> list[Finding]:
    apps = list(
        _visible(Application.objects.filter(owner__instansi=instansi, status__in=ACTIVE), user).select_related("owner")
    )
    keys = [name_keys(app.name) for app in apps]
    words = [_name_words(app.name) for app in apps]
    tokens = [function_tokens(app.name, app.description) for app in apps]
    findings = []
    # Blocking keeps the comparison near-linear for large repositories: only applications sharing a
    # block are compared. Description words count too: two applications alike by description alone may
    # have unrelated names.
    by_block: dict[str, list[int]] = defaultdict(list)
    for index in range(len(apps)):
        for block in _blocks(keys[index], tokens[index]):
            by_block[block].append(index)
    pairs: set[tuple[int, int]] = set()
    for indices in by_block.values():
        if len(indices) > 200:
            continue  # a block shared by everything says nothing about function
        for i, left in enumerate(indices):
            for right in indices[i + 1 :]:
                pairs.add((left, right))
    for left, right in sorted(pairs):
        a, b = apps[left], apps[right]
        if a.owner_id == b.owner_id:
            continue
        same_name = _similar_names(keys[left], keys[right], words[left], words[right])
        if not (same_name or _similar_functions(tokens[left], tokens[right])):
            continue
        finding = _finding(
            "duplicate_application",
            _("%(a)s (%(opd_a)s) and %(b)s (%(opd_b)s) seem to serve the same function.")
            % {"a": a, "opd_a": a.owner, "b": b, "opd_b": b.owner},
            a,
            a.owner,
        )
        finding.related_record, finding.related_url = str(b), b.get_absolute_url()
        findings.append(finding)
    return findings


CHECKS: list[Callable] = [
    hosting_rule,
    server_room_rule,
    specific_docs_rule,
    domain_rule,
    service_rules,
    data_classification_rule,
    duplicate_application_rule,
]


@dataclass
class ComplianceReport:
    instansi: Instansi
    findings: list[Finding]

    def by_rule(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {code: [] for code in RULES}
        for finding in self.findings:
            grouped[finding.rule.code].append(finding)
        return grouped

    def by_opd(self) -> list[tuple[str, int]]:
        return Counter(f.opd_name for f in self.findings).most_common()

    def by_opd_id(self) -> list[tuple[int | None, str, int]]:
        """(OPD id, OPD name, findings) per OPD, the most findings first."""
        counts = Counter((f.opd_id, f.opd_name) for f in self.findings)
        return [(opd_id, name, count) for (opd_id, name), count in counts.most_common()]


def check(user, instansi: Instansi, rules: list[str] | None = None) -> ComplianceReport:
    """Run every rule (or the named ones) for an instansi, as seen by `user`."""
    findings: list[Finding] = []
    for rule_check in CHECKS:
        found = rule_check(user, instansi)
        findings.extend(f for f in found if rules is None or f.rule.code in rules)
    return ComplianceReport(instansi, findings)
