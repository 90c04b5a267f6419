"""The governance pages on the Lampung Timur demo: each role sees the pages it may, the coverage page says
which indicators have no policy yet, lists filter as they say, a team shows its current decree's members
by position, a meeting its decisions and actions, and an OPD operator its own OPD's actions (home card too);
the executive dashboard gets the coverage and the actions."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from simpul.governance import cards, executive
from simpul.governance.choices import PolicyStatus, TeamKind
from simpul.governance.models import FollowUpAction, Meeting, Policy, Team
from simpul.organizations.models import Instansi, PerangkatDaerah, User

pytestmark = pytest.mark.usefixtures("demo_once")


@pytest.fixture
def users(db):
    return {user.username: user for user in User.objects.all()}


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("username", "status"),
    [("admin", 200), ("koordinator", 200), ("operator-bkd", 200), ("asn", 200), ("auditor", 200), ("pimpinan", 200)],
)
def test_the_module_pages_answer_each_role(users, username, status):
    client = client_for(users[username])
    for name in ("governance:overview", "governance:coverage", "governance:policy_list"):
        assert client.get(reverse(name)).status_code == status, name


def test_the_asn_reads_enacted_policies_but_not_meetings_or_drafts(users):
    client = client_for(users["asn"])
    listed = client.get(reverse("governance:policy_list"), {"per_page": 100}).context["table"].data
    assert {record.status for record in listed} == {PolicyStatus.DITETAPKAN, PolicyStatus.DICABUT, PolicyStatus.DIGANTI}
    assert client.get(reverse("governance:meeting_list")).status_code == 403
    overview = client.get(reverse("governance:overview")).content.decode()
    assert 'data-testid="overview-meetings"' not in overview


def test_the_coverage_page_names_the_indicators_without_a_policy(users):
    response = client_for(users["koordinator"]).get(reverse("governance:coverage"))
    content = response.content.decode()
    assert "8 of 10 policy indicators of" in content
    rows = re.findall(r'data-testid="coverage-row" data-covered="([01])"', content)
    assert rows.count("0") == 2 and len(rows) == 10
    assert content.count('data-testid="no-policy"') == 2
    assert "Satu Data Kabupaten Lampung Timur" in content  # the draft is shown beside


def test_the_policy_list_filters_by_kind_status_topic_and_year(users):
    client = client_for(users["admin"])
    url = reverse("governance:policy_list")

    def titles(**query):
        return {record.title for record in client.get(url, {"per_page": 100, **query}).context["table"].data}

    assert titles(kind="surat_edaran") == {
        "Penggunaan Surat Elektronik Dinas bagi Aparatur Sipil Negara",
        "Penggunaan Aplikasi JePin sebagai Sistem Penghubung Layanan Pemerintah Daerah",
    }
    assert titles(status="rancangan") == {
        "Satu Data Kabupaten Lampung Timur",
        "Audit Teknologi Informasi dan Komunikasi di Lingkungan Pemerintah Kabupaten Lampung Timur",
    }
    topic = Policy.objects.get(number="37 Tahun 2020").topics.get()
    assert titles(topic=topic.pk) == {"Arsitektur Sistem Pemerintahan Berbasis Elektronik Kabupaten Lampung Timur"}
    assert len(titles(year=2020)) == 4
    export = client.get(url, {"export": "csv", "status": "ditetapkan"})
    assert export.status_code == 200


def test_the_team_page_shows_the_current_decrees_members_by_position(users):
    team = Team.objects.get(kind=TeamKind.TIM_KOORDINASI, instansi__slug="lampung-timur")
    content = client_for(users["operator-bkd"]).get(team.get_absolute_url()).content.decode()
    assert "B/112/IV.05/HK/2023" in content
    positions = re.findall(r'<h3 class="h6 mb-1">([^<]+)</h3>', content)
    assert positions == [
        "Steering team (Tim Pengarah)",
        "Chair (Ketua Tim)",
        "Coordinator (Koordinator)",
        "Secretariat (Sekretariat SPBE)",
        "Working group (Kelompok Kerja)",
    ]
    assert "Add decree" not in content


def test_the_meeting_page_shows_decisions_actions_and_who_attended(users):
    meeting = Meeting.objects.get(title="Rapat Koordinasi Tim Koordinasi SPBE Semester I")
    content = client_for(users["koordinator"]).get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="late-badge"' in content
    assert "Pindahkan aplikasi SIMDA Keuangan ke Pusat Data" in content
    assert "Sekretaris Daerah" in content
    assert 'data-testid="add-decision"' in content
    minutes = client_for(users["koordinator"]).get(reverse("governance:meeting_download", args=[meeting.pk]))
    assert minutes.status_code == 200 and minutes["Content-Type"] == "application/pdf"


def test_an_opd_operator_sees_its_own_opds_actions_on_the_list_and_the_home_page(users):
    operator = users["operator-bkd"]
    client = client_for(operator)
    listed = client.get(reverse("governance:followupaction_list")).context["table"].data
    bkd = PerangkatDaerah.objects.get(short_name="BKD", instansi__slug="lampung-timur")
    assert {record.owner_id for record in listed} == {bkd.pk}
    assert len(listed) == FollowUpAction.objects.filter(owner=bkd).count() > 0
    diskominfo = users["operator-diskominfo"]
    with translation.override("en"):
        (card,) = cards.governance_cards(type("Request", (), {"user": diskominfo})())
    assert card.title == "Follow-up actions to report on"
    assert card.value == 1 and "1 late" in card.text
    assert cards.governance_cards(type("Request", (), {"user": users["asn"]})()) == []


def test_the_executive_sections_count_coverage_and_actions(users):
    instansi = Instansi.objects.get(slug="lampung-timur")
    with translation.override("en"):
        found = executive.sections(users["pimpinan"], instansi)
        assert [section.key for section in found] == ["governance.coverage", "governance.actions"]
        coverage_section, actions_section = found
        assert coverage_section.figures[0].value == "8 of 10"
        assert len(coverage_section.rows) == 10
        open_actions = FollowUpAction.objects.filter(status="open").count()
        assert actions_section.figures[0].value == str(open_actions)
        assert sum(row["value"] for row in actions_section.rows) == open_actions
        bkd = PerangkatDaerah.objects.get(short_name="BKD", instansi=instansi)
        (_coverage, mine) = executive.sections(users["pimpinan"], instansi, opd=bkd)
        assert mine.figures[0].value == "0" and mine.rows == []
        assert executive.sections(users["asn"], instansi)[0].key == "governance.coverage"
