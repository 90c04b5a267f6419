"""The Content-Security-Policy: scripts only from Simpul's static files, so no template may carry one inline."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

import simpul

TEMPLATES = sorted(Path(simpul.__file__).parent.glob("*/templates/**/*.html"))
# A <script> element with no src (its code inline), or an event-handler attribute such as onclick=.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def test_policy_runs_no_inline_script_and_no_eval():
    policy = directives(settings.SIMPUL_CONTENT_SECURITY_POLICY)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["default-src"]


def test_templates_are_found():
    # The scan below would pass on an empty list.
    names = {path.name for path in TEMPLATES}
    assert {"base.html", "list_results.html", "planner.html"} <= names


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(path.parents[2])))
def test_no_template_carries_inline_script(template):
    text = template.read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it into a static file (simpul/simpul.js)"
    assert not HANDLER_ATTRIBUTE.search(text), "on…= attribute: use a data- attribute handled in simpul.js"


@pytest.mark.parametrize("pattern", ["<script>alert(1)</script>", '<select onchange="x()">', "<SCRIPT type=x>"])
def test_the_scan_finds_inline_script(pattern):
    assert INLINE_SCRIPT.search(pattern) or HANDLER_ATTRIBUTE.search(pattern)


def test_the_scan_allows_script_files_and_data_attributes():
    allowed = '<script src="/static/simpul/simpul.js"></script><select data-submit-on-change class="x">'
    assert not INLINE_SCRIPT.search(allowed) and not HANDLER_ATTRIBUTE.search(allowed)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/api/docs/", "/healthz"])
def test_responses_carry_the_policy(client, url):
    response = client.get(url)
    assert response["Content-Security-Policy"] == settings.SIMPUL_CONTENT_SECURITY_POLICY


@pytest.mark.django_db
def test_signed_in_pages_carry_the_policy(world, client):
    client.force_login(world.operator_a1)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == settings.SIMPUL_CONTENT_SECURITY_POLICY
    assert b"/static/simpul/simpul.js" in response.content


def test_a_response_with_its_own_policy_keeps_it(rf):
    from django.http import HttpResponse

    from simpul.core.middleware import ContentSecurityPolicyMiddleware

    def view(request):
        response = HttpResponse("file")
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    response = ContentSecurityPolicyMiddleware(view)(rf.get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
