"""Every list page fits a phone and a desktop: rows are cards below 576px, badges stay inside their boxes,
and a table too wide for its box says that it scrolls.

The list pages are found in the URL configuration (every `ObjectListView`), so a module added later is
walked too without this file knowing it.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import expect

from simpul.core.views.generic import ObjectListView
from simpul.evaluation.models import EvaluationPeriod
from tests.browser.conftest import login, screenshot
from tests.browser.test_mobile import PHONE, assert_no_horizontal_overflow

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}
APPLICATIONS = "/architecture/applications/"
# The Admin SPBE of the demo: every module's lists, with the provisional indices of 2024 in view.
USER = "admin"


def list_paths() -> list[str]:
    """The paths of every generic list page (core's ObjectListView) that takes no argument."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<" not in route and not route.startswith("^"):
                view = getattr(pattern.callback, "view_class", None)
                if view is not None and issubclass(view, ObjectListView):
                    found.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return sorted(found)


def evaluation_pages() -> list[str]:
    """Pages outside the lists that show the provisional index badges ("provisional 16/47"): walked for
    their badges only (the lists' layout is what this file holds to account)."""
    period = EvaluationPeriod.objects.get(instansi__slug="lampung-timur", year=2024)
    return [
        reverse("evaluation:overview"),
        reverse("evaluation:evaluationperiod_detail", args=[period.pk]),
        reverse("evaluation:period_analysis", args=[period.pk]),
        reverse("evaluation:trend"),
        reverse("evaluation:comparison"),
    ]


def open_page(page, path: str) -> bool:
    """Go to `path` and wait until htmx is idle; False when the user may not see it (403)."""
    response = page.goto(path)
    assert response is not None
    if response.status == 403:
        return False
    assert response.status == 200, f"{path}: HTTP {response.status}"
    page.wait_for_load_state("load")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    return True


def badges_outside_their_boxes(page) -> list[str]:
    """Visible badges whose text is cut (wider than the badge) or that stick out of the box around them
    (their block container, or any ancestor that clips or scrolls)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.badge')].filter(badge => badge.checkVisibility()).filter(badge => {
            if (badge.scrollWidth > badge.clientWidth + 1) return true;
            const own = badge.getBoundingClientRect();
            const outside = box => own.left < box.left - 1 || own.right > box.right + 1;
            let block = false;
            for (let node = badge.parentElement; node && node !== document.body; node = node.parentElement) {
                const style = getComputedStyle(node);
                const isBlock = !style.display.startsWith('inline') && style.display !== 'contents';
                if ((isBlock && !block) || style.overflowX !== 'visible') {
                    const box = node.getBoundingClientRect();
                    const inner = {left: box.left + node.clientLeft, right: box.left + node.clientLeft + node.clientWidth};
                    if (outside(inner)) return true;
                }
                block = block || isBlock;
            }
            return false;
        }).map(badge => badge.textContent.trim())"""
    )


def card_problems(page) -> list[str]:
    """How the list rows fail to be cards on a phone: each row a box of its own, below the one before,
    its title on top, every other visible cell showing its column's label, and no taller than its
    visible cells (plus padding) and 60% of the screen."""
    return page.evaluate(
        """() => {
            const problems = [];
            const rows = [...document.querySelectorAll('#list-results table.table-cards > tbody > tr')];
            let previousBottom = -Infinity;
            rows.forEach((row, index) => {
                const style = getComputedStyle(row);
                const box = row.getBoundingClientRect();
                const where = `row ${index + 1}`;
                if (style.display !== 'flex' || style.borderTopStyle === 'none') problems.push(`${where} is not a card`);
                if (box.top < previousBottom - 1) problems.push(`${where} is beside the row before`);
                previousBottom = box.bottom;
                const cells = [...row.children].filter(cell => cell.checkVisibility());
                const title = cells.find(cell => cell.hasAttribute('data-card-title'));
                if (!title) problems.push(`${where} has no title`);
                else if (cells.some(cell => cell.getBoundingClientRect().top < title.getBoundingClientRect().top - 1))
                    problems.push(`${where}: the title is not on top`);
                cells.filter(cell => cell !== title && cell.dataset.label).forEach(cell => {
                    const label = getComputedStyle(cell, '::before').content;
                    if (label !== JSON.stringify(cell.dataset.label)) problems.push(`${where}: no label "${cell.dataset.label}" (${label})`);
                });
                const needed = cells.reduce((sum, cell) => sum + cell.getBoundingClientRect().height, 0)
                    + parseFloat(style.paddingTop) + parseFloat(style.paddingBottom)
                    + parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth)
                    + parseFloat(style.rowGap || 0) * Math.max(cells.length - 1, 0);
                if (box.height > needed + 2) problems.push(`${where} is ${box.height}px tall for ${needed}px of cells`);
                if (box.height > innerHeight * 0.6) problems.push(`${where} is ${box.height}px tall on a ${innerHeight}px screen`);
            });
            return problems;
        }"""
    )


def scrolling_tables_without_hint(page) -> list[str]:
    """Table boxes wider than they show whose hint ("Swipe sideways ...") is missing."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.table-responsive')]
            .filter(box => box.checkVisibility() && box.scrollWidth > box.clientWidth + 1)
            .filter(box => !(box.previousElementSibling && box.previousElementSibling.matches('[data-testid=scroll-hint]')
                             && box.previousElementSibling.checkVisibility()))
            .map(box => `${box.scrollWidth}px in ${box.clientWidth}px`)"""
    )


def test_list_pages_show_cards_on_a_phone(make_page):
    paths = list_paths()
    assert APPLICATIONS in paths and len(paths) > 10, paths
    phone = make_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    login(phone, USER)
    problems: list[str] = []
    carded = 0
    for path in [*paths, *evaluation_pages()]:
        if not open_page(phone, path):
            continue
        if path in paths:
            try:
                assert_no_horizontal_overflow(phone)
            except AssertionError as error:
                problems.append(f"{path}: {error}")
        problems.extend(f"{path}: badge {text!r} is cut or sticks out" for text in badges_outside_their_boxes(phone))
        problems.extend(f"{path}: {problem}" for problem in card_problems(phone))
        rows = phone.locator("#list-results table > tbody > tr")
        if path in paths and rows.count() and phone.locator("#list-results table.table-cards").count():
            carded += 1
            # The cards fit the phone: nothing scrolls sideways, so no hint either.
            problems.extend(f"{path}: {box}" for box in scrolling_tables_without_hint(phone))
            if phone.get_by_test_id("scroll-hint").count():
                problems.append(f"{path}: the cards fit, yet the page says that they scroll")
        elif path in paths and rows.count():
            problems.append(f"{path}: the list is not a BaseTable with cards")
    assert not problems, "\n".join(problems)
    assert carded > 10, f"only {carded} list pages had rows to show as cards"

    # The application list as a person sees it: a card per application with its hosting.
    open_page(phone, APPLICATIONS)
    card = phone.locator("#list-results tbody tr").filter(has_text="SIMPEG").first
    expect(card.locator("td[data-card-title]")).to_have_text("SIMPEG")
    expect(card.locator("td[data-label='Hosting']")).to_be_visible()
    # Sorting stays on the phone: the sortable headers are one line of links above the cards.
    sort_link = phone.locator("#list-results thead th.orderable a", has_text="Name")
    expect(sort_link).to_be_visible()
    sort_link.click()
    expect(phone).to_have_url(re.compile(r"[?&]sort=name"))
    expect(phone.locator("#list-results thead th.orderable.asc", has_text="Name")).to_be_visible()
    assert not card_problems(phone)
    screenshot(phone, "layout-applications-phone")

    # The provisional index badges of 2024 wrap inside the score boxes.
    open_page(phone, "/evaluation/")
    expect(phone.get_by_test_id("provisional").first).to_be_visible()
    assert not badges_outside_their_boxes(phone)
    screenshot(phone, "layout-evaluation-phone")


def test_list_pages_fit_a_desktop_or_say_that_they_scroll(make_page):
    desktop = make_page(viewport=DESKTOP)
    login(desktop, USER)
    problems: list[str] = []
    paths = list_paths()
    for path in [*paths, *evaluation_pages()]:
        if not open_page(desktop, path):
            continue
        if path in paths:
            try:
                assert_no_horizontal_overflow(desktop)
            except AssertionError as error:
                problems.append(f"{path}: {error}")
        problems.extend(f"{path}: badge {text!r} is cut or sticks out" for text in badges_outside_their_boxes(desktop))
        problems.extend(f"{path}: {box} without the hint" for box in scrolling_tables_without_hint(desktop))
        # Above the phone's width the rows are table rows, not cards.
        if desktop.locator("#list-results table.table-cards > tbody > tr").count():
            display = desktop.locator("#list-results table.table-cards > tbody > tr").first.evaluate(
                "row => getComputedStyle(row).display"
            )
            if display != "table-row":
                problems.append(f"{path}: rows are shown as {display} on a desktop")
    assert not problems, "\n".join(problems)

    # The application list at 1366px: its last column (Hosting) is in view, not cut behind the hint.
    open_page(desktop, APPLICATIONS)
    last = desktop.locator("#list-results table thead th").last
    expect(last).to_have_text(re.compile(r"\S"))
    in_view = last.evaluate(
        """th => { const box = th.closest('.table-responsive').getBoundingClientRect(), own = th.getBoundingClientRect();
                   return own.right <= Math.min(box.right, innerWidth) + 1 && own.left >= box.left - 1; }"""
    )
    assert in_view or desktop.get_by_test_id("scroll-hint").is_visible(), "the last column is cut without a hint"
    assert in_view, "the application list's default columns fit 1366px"
    screenshot(desktop, "layout-applications-desktop")


def test_a_table_wider_than_its_box_says_that_it_scrolls(make_page):
    """Between a phone and a desktop the rows stay table rows; with every column chosen the application
    list is wider than a tablet, scrolls inside its box and says so, and the page itself does not."""
    tablet = make_page(viewport=TABLET)
    login(tablet, USER)
    open_page(tablet, APPLICATIONS)
    columns = tablet.locator("input[name=columns]").evaluate_all("boxes => boxes.map(box => box.value)")
    open_page(tablet, APPLICATIONS + "?" + "&".join(f"columns={name}" for name in columns))
    box = tablet.locator("#list-results .table-responsive").first
    expect(tablet.locator("#list-results thead th")).to_have_count(len(columns))
    assert box.evaluate("e => e.scrollWidth > e.clientWidth + 1"), "expected every column to be wider than a tablet"
    expect(tablet.get_by_test_id("scroll-hint")).to_be_visible()
    assert not scrolling_tables_without_hint(tablet)
    assert_no_horizontal_overflow(tablet)


def analysis_nav_problems(page) -> list[str]:
    """How the links between a period's analysis pages fail a phone: a link cut by the screen's edge or by
    the box of links (scrolled out of sight), or the box scrolling sideways."""
    return page.evaluate(
        """() => {
            const nav = document.querySelector('[data-testid=analysis-nav]');
            if (!nav) return ['no analysis links'];
            const problems = [];
            if (nav.scrollWidth > nav.clientWidth + 1) problems.push(`the links scroll: ${nav.scrollWidth}px in ${nav.clientWidth}px`);
            const box = nav.getBoundingClientRect();
            for (const link of nav.querySelectorAll('a')) {
                const own = link.getBoundingClientRect();
                if (own.left < Math.max(box.left, 0) - 1 || own.right > Math.min(box.right, innerWidth) + 1)
                    problems.push(`"${link.textContent.trim()}" is cut (${own.left}–${own.right} of ${innerWidth}px)`);
            }
            return problems;
        }"""
    )


def test_evaluation_analysis_pages_fit_a_phone(make_page):
    """The analysis, planner and actions pages of a period at 390px: their links to each other wrap
    instead of running past the edge, and nothing widens the page; the assessment list's cards are
    titled by the indicator."""
    period = EvaluationPeriod.objects.get(instansi__slug="lampung-timur", year=2024)
    phone = make_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    login(phone, USER)
    problems: list[str] = []
    for name, active in (("period_analysis", "Analysis"), ("period_planner", "Planner"), ("period_actions", "Actions")):
        path = reverse(f"evaluation:{name}", args=[period.pk])
        assert open_page(phone, path), f"{USER} may not see {path}"
        nav = phone.get_by_test_id("analysis-nav")
        expect(nav.locator("a[aria-current=page]")).to_have_text(active)
        problems.extend(f"{path}: {problem}" for problem in analysis_nav_problems(phone))
        try:
            assert_no_horizontal_overflow(phone)
        except AssertionError as error:
            problems.append(f"{path}: {error}")
    assert not problems, "\n".join(problems)
    open_page(phone, reverse("evaluation:period_analysis", args=[period.pk]))
    screenshot(phone, "layout-evaluation-analysis-phone")

    # Each assessment's card is titled by its indicator; "#" is one of its lines.
    open_page(phone, reverse("evaluation:indicatorassessment_list"))
    card = phone.locator("#list-results table.table-cards > tbody > tr").first
    expect(card.locator("td[data-card-title]")).to_have_attribute("data-label", "Indicator")
    expect(card.locator("td[data-label='#']")).to_be_visible()
    assert not card_problems(phone)
