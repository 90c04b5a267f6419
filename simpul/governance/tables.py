import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from simpul.core.tables import BaseTable
from simpul.governance import models


def _badge(status: str, label: str, late: bool = False) -> str:
    return render_to_string("governance/_status_badge.html", {"status": status, "label": label, "late": late})


class PolicyTable(BaseTable):
    title = tables.Column(linkify=True)
    status = tables.Column()
    topics = tables.Column(empty_values=(), orderable=False, verbose_name=_("Topics"))

    class Meta(BaseTable.Meta):
        model = models.Policy
        fields = ["title", "kind", "number", "date", "status", "topics", "owner", "instansi", "jdih_url", "updated_at"]

    default_columns = ("title", "kind", "number", "date", "status", "topics")

    def render_status(self, record):
        return _badge(record.status, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()

    def render_topics(self, record):
        # The list's queryset prefetches the topics: no query per row.
        return ", ".join(topic.name for topic in record.topics.all()) or "—"

    def value_topics(self, record):
        return ", ".join(topic.name for topic in record.topics.all())


class TeamTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = models.Team
        fields = ["name", "kind", "instansi"]

    default_columns = ("name", "kind", "instansi")


class DecreeTable(BaseTable):
    number = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = models.Decree
        fields = ["number", "title", "team", "date", "valid_from", "valid_to", "roles_state", "policy"]

    default_columns = ("number", "title", "team", "valid_from", "valid_to")


class TeamMemberTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = models.TeamMember
        fields = ["name", "position", "office", "opd", "user", "role", "decree"]

    default_columns = ("name", "position", "office", "user", "decree")


class MeetingTable(BaseTable):
    title = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = models.Meeting
        fields = ["title", "date", "team", "place"]

    default_columns = ("title", "date", "team", "place")


class DecisionTable(BaseTable):
    text = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = models.Decision
        fields = ["number", "text", "meeting"]

    default_columns = ("number", "text", "meeting")


class FollowUpActionTable(BaseTable):
    title = tables.Column(linkify=True)
    status = tables.Column()

    class Meta(BaseTable.Meta):
        model = models.FollowUpAction
        fields = ["title", "owner", "due_date", "status", "decision", "completed_at"]

    default_columns = ("title", "owner", "due_date", "status")

    def render_status(self, record):
        return _badge(record.status, record.get_status_display(), late=record.is_late)

    def value_status(self, record):
        label = str(record.get_status_display())
        return f"{label} ({_('late')})" if record.is_late else label
