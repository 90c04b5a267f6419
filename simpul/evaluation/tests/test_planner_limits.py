"""The planner page keeps to limits (issue #12 point 8): at most `max_rise` levels per indicator per cycle
and an effort per level, both from data/planner.json unless the user sets them in the advanced settings.

The optimality of plans under limits is proved against enumeration in test_planner.py; here: the form
(validation in Indonesian, the user's input kept), the page stating the limits, a target out of reach
this cycle, and multi-level rises still becoming one action per level.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from simpul.evaluation import planner, scoring
from simpul.evaluation.forms import PlannerForm
from simpul.evaluation.frameworks import shipped_framework
from simpul.evaluation.models import ImprovementAction
from simpul.evaluation.tests.test_scoring import DENPASAR_2021
from simpul.evaluation.tests.test_views_analysis import html_of, planner_url, set_levels
from simpul.evaluation.tests.test_workflow import client_for, make_period

SPEC = shipped_framework("permenpanrb-59-2020")


@pytest.fixture
def scene(world):
    """Instansi A 2021 (59/2020) at the final levels of Kota Denpasar 2021 (3.19)."""
    world.period = make_period(world, year=2021)
    set_levels(world.period, "final_level", DENPASAR_2021)
    return world


def planner_form(data=None) -> PlannerForm:
    form = PlannerForm(data, spec=SPEC, defaults=planner.default_limits())
    if data is not None:
        form.is_valid()
    return form


def indonesian_client(user) -> Client:
    client = Client(headers={"accept-language": "id"})
    client.force_login(user)
    return client


# --- The form ------------------------------------------------------------------------------------------


def test_the_form_offers_the_limits_with_the_defaults_as_placeholders():
    form = planner_form()
    assert list(form.effort_fields) == ["effort_to_2", "effort_to_3", "effort_to_4", "effort_to_5"]
    assert [form.fields[name].widget.attrs["placeholder"] for name in form.effort_fields] == ["1", "2", "3", "5"]
    assert [value for value, _label in form.fields["max_rise"].choices] == ["", 1, 2, 3, 4]
    assert form.limits() == planner.default_limits()
    # 5/2018 has levels 0–5: a step to level 1 exists there, and a rise of up to 5 levels.
    old = PlannerForm(spec=shipped_framework("permenpanrb-5-2018"), defaults=planner.default_limits())
    assert next(iter(old.effort_fields)) == "effort_to_1" and old.fields["max_rise"].choices[-1] == (5, 5)


def test_the_form_gives_the_users_limits_and_defaults_for_blank_fields():
    form = planner_form({"max_rise": "2", "effort_to_4": "4"})
    assert form.is_valid() and form.advanced_changed and not form.advanced_errors
    assert form.limits() == planner.Limits(2, {2: 1, 3: 2, 4: 4, 5: 5})
    assert planner_form({"target": "3.30"}).limits() == planner.default_limits()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"effort_to_3": "0"}, "Pastikan nilai ini lebih besar dari atau sama dengan 1."),
        ({"effort_to_3": "-2"}, "Pastikan nilai ini lebih besar dari atau sama dengan 1."),
        ({"effort_to_3": "dua"}, "Masukkan keseluruhan angka bilangan."),
        ({"effort_to_3": "1.5"}, "Masukkan keseluruhan angka bilangan."),
        ({"effort_to_3": "21"}, "Pastikan nilai ini lebih kecil dari atau sama dengan 20."),
        ({"max_rise": "7"}, "Masukkan pilihan yang valid."),
    ],
)
def test_bad_limits_are_refused_in_indonesian_and_the_plan_keeps_the_defaults(data, message):
    form = planner_form({"target": "3.30", **data})
    assert not form.is_valid() and form.advanced_errors
    with translation.override("id"):
        assert any(message in error for errors in form.errors.values() for error in errors), form.errors
    assert form.limits() == planner.default_limits()
    assert form.cleaned_data["target"] is not None  # the other fields still count


def test_an_effort_table_that_falls_with_the_level_is_refused_whole():
    form = planner_form({"max_rise": "2", "effort_to_3": "4", "effort_to_4": "2"})
    assert not form.is_valid() and form.has_error("__all__", "effort_order")
    # The valid rise counts; the table is not mixed with the defaults.
    assert form.limits() == planner.Limits(2, planner.default_limits().level_efforts)
    # A blank field takes its default, and the defaults count in the order check (3 at level 4 < 5 at 5 is fine,
    # 6 at level 4 above the default 5 at level 5 is not).
    assert planner_form({"effort_to_4": "5"}).is_valid()
    assert not planner_form({"effort_to_4": "6"}).is_valid()


# --- The page ------------------------------------------------------------------------------------------


def test_the_page_plans_within_the_default_limits_and_says_so(scene):
    page = client_for(scene.evaluator_a).get(planner_url(scene.period))
    html = html_of(page)
    plan = page.context["plan"]
    assert plan.limits == planner.default_limits() and page.context["limits"] == planner.default_limits()
    assert plan.reached and plan.final_index >= 3.5
    # Every indicator rises one level at most, each step at its level's effort.
    assert [row["raise"].steps for row in page.context["raise_rows"]] == [1] * len(page.context["raise_rows"])
    assert all(step.effort == planner.default_limits().level_effort(int(step.to_level)) for step in plan.steps)
    limits_text = re.search(r'data-testid="plan-limits">(.*?)</p>', html, re.S).group(1)
    with translation.override("en"):
        assert limits_text == escape(planner.describe_limits(SPEC, plan.limits))
    assert "1" in limits_text and "5" in limits_text
    # The advanced settings are there, folded, with the defaults' source.
    assert 'data-testid="planner-advanced">' in html and 'name="effort_to_5"' in html
    assert planner.defaults_summary() in html


def test_the_users_limits_change_the_plan_and_stay_in_the_form(scene):
    client = client_for(scene.evaluator_a)
    url = planner_url(scene.period, target="3.50", max_rise="2", effort_to_2="1", effort_to_3="1", effort_to_4="1")
    page = client.get(url + "&effort_to_5=1")
    html = html_of(page)
    assert page.context["plan"].limits == planner.Limits(2, {2: 1, 3: 1, 4: 1, 5: 1})
    assert max(row["raise"].steps for row in page.context["raise_rows"]) == 2
    assert 'data-testid="planner-advanced" open' in html
    assert re.search(r'<option value="2" selected>', html)
    assert 'name="effort_to_5" value="1"' in html
    # The limits travel with the page's other forms, so saving efforts comes back to the same plan.
    assert "max_rise=2" in page.context["query"]
    response = client.post(
        reverse("evaluation:period_efforts", args=[scene.period.pk]), {"effort_1": "2", "query": page.context["query"]}
    )
    assert "max_rise=2" in response["Location"]


def test_bad_effort_input_is_shown_in_indonesian_with_the_input_kept(scene):
    page = indonesian_client(scene.evaluator_a).get(planner_url(scene.period, target="3.30", effort_to_3="0"))
    html = html_of(page)
    errors = re.search(r'data-testid="planner-errors">(.*?)</div>', html, re.S).group(1)
    assert "Pastikan nilai ini lebih besar dari atau sama dengan 1." in errors
    assert 'name="effort_to_3" value="0"' in html
    assert 'data-testid="planner-advanced" open' in html
    # The plan still answers, with the defaults, to the target the user gave.
    assert page.context["target"] == 3.3 and page.context["plan"].limits == planner.default_limits()


def test_a_target_out_of_reach_this_cycle_says_what_it_takes(scene):
    client = client_for(scene.evaluator_a)
    page = client.get(planner_url(scene.period, target="4.20"))
    html = html_of(page)
    plan = page.context["plan"]
    assert not plan.reached and plan.cycles == 2 and plan.cycles_effort
    levels = scoring.normalize_levels(SPEC, DENPASAR_2021)
    everything = {key: min(level + 1, 5.0) for key, level in levels.items()}
    assert plan.final_index == scoring.compute(SPEC, everything).index < 4.2
    alert = re.search(r'data-testid="plan-unreachable">(.*?)</div>', html, re.S).group(1)
    assert "4.20" in alert and f"{plan.final_index:.2f}" in alert and str(plan.cycles_effort) in alert
    # The link plans over the two cycles: two levels per indicator, which reach the target at that effort.
    link = page.context["cycles_url"].replace("&amp;", "&")
    assert page.context["cycles_rise"] == 2 and f'href="{page.context["cycles_url"]}"' in alert.replace("&amp;", "&")
    over_two = client.get(link).context["plan"]
    assert over_two.reached and over_two.limits.max_rise == 2
    assert over_two.total_effort == plan.cycles_effort


def test_a_plan_raising_indicators_by_two_levels_becomes_one_action_per_level(scene):
    client = client_for(scene.evaluator_a)
    page = client.get(planner_url(scene.period, target="4.20", max_rise="2"))
    plan = page.context["plan"]
    assert plan.reached and any(row["raise"].steps == 2 for row in page.context["raise_rows"])
    values = [row["value"] for row in page.context["raise_rows"]]
    client.post(reverse("evaluation:period_plan_actions", args=[scene.period.pk]), {"step": values})
    actions = ImprovementAction.objects.filter(period=scene.period)
    assert sorted((a.item_key, a.from_level, a.to_level) for a in actions) == sorted(
        (s.item_key, int(s.from_level), int(s.to_level)) for s in plan.steps
    )
    assert all(action.to_level == action.from_level + 1 for action in actions)
    # Once: the same plan again creates nothing new.
    client.post(reverse("evaluation:period_plan_actions", args=[scene.period.pk]), {"step": values})
    assert ImprovementAction.objects.filter(period=scene.period).count() == len(plan.steps)
