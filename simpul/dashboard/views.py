from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation

from simpul.core import modules, permissions
from simpul.dashboard import charts, executive, pdf


@login_required
def home(request):
    """The home page: per role, what this user has to do now (cards contributed by each module)."""
    user = request.user
    roles = permissions.roles()
    held = [
        {"label": roles[grant.role].label, "description": roles[grant.role].description, "grant": grant}
        for grant in permissions.user_grants(user)
    ]
    cards = []
    for source in modules.home_card_sources():
        cards.extend(source(request))
    context = {"roles_held": held, "cards": cards, "executive": executive.may_open(user)}
    return render(request, "dashboard/home.html", context)


@login_required
def executive_dashboard(request):
    """The executive dashboard of an instansi (`?instansi=`), or one OPD's report card (`?opd=`)."""
    board = executive.board_for(request.user, request.GET.get("instansi"), request.GET.get("opd"))
    items = []
    for section in board.sections + board.slots:
        items.append(
            {
                "section": section,
                "slot": section in board.slots,
                "trend": charts.trend(section.title, section.trend) if section.trend else None,
                "rows": [{**row, "percent": charts.bar_percent(row)} for row in section.rows],
            }
        )
    return render(request, "dashboard/executive.html", {"board": board, "items": items})


@login_required
def executive_pdf(request):
    """The same dashboard as an A4 PDF in the report language (Bahasa Indonesia)."""
    with translation.override(settings.LANGUAGE_CODE):
        board = executive.board_for(request.user, request.GET.get("instansi"), request.GET.get("opd"))
        content = pdf.render(board)
        filename = pdf.filename(board)
    response = HttpResponse(content, content_type=pdf.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The dashboard holds the instansi's unpublished results: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response
