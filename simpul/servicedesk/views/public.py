"""The public pages of the service desk, without login: the complaint form (/lapor/) and the tracking of a
ticket by its code (/lacak/). They write and read only through services.intake, as the public API does."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_protect
from rest_framework.exceptions import Throttled

from simpul.servicedesk.choices import Channel, TicketKind
from simpul.servicedesk.forms import PublicTicketForm
from simpul.servicedesk.services import intake
from simpul.servicedesk.throttling import PublicIntakeThrottle
from simpul.servicedesk.views.tickets import add_errors


def tracking_url(request, code: str) -> str:
    return request.build_absolute_uri(reverse("servicedesk_track", args=[code]))


@method_decorator(csrf_protect, name="dispatch")
class PublicReportView(View):
    """A citizen's complaint. A hidden token makes a second submission of the same form (a double click, a
    reload) find the ticket of the first instead of opening another."""

    template_name = "servicedesk/public_form.html"

    def get(self, request):
        form = PublicTicketForm(initial={"token": uuid.uuid4().hex})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = PublicTicketForm(request.POST, request.FILES)
        try:
            PublicIntakeThrottle().allow_request(request, self)
        except Throttled as refused:
            response = render(request, self.template_name, {"form": form, "refused": refused.detail}, status=429)
            response["Retry-After"] = str(refused.wait)
            return response
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        token = (data.get("token") or "").strip()
        signed_in = request.user.is_authenticated
        try:
            receipt = intake.submit_public(
                kind=TicketKind.COMPLAINT,
                subject=data["subject"],
                description=data["description"],
                reporter_name=data["reporter_name"],
                reporter_email=data["reporter_email"],
                reporter_phone=data["reporter_phone"],
                element=data.get("service"),
                channel=Channel.PORTAL if signed_in else Channel.WEB,
                instansi=data.get("instansi"),
                idempotency_key=f"web-{token}" if token else None,
                user=request.user if signed_in else None,
                attachments=data.get("attachments") or (),
            )
        except ValidationError as error:
            add_errors(form, error)
            return render(request, self.template_name, {"form": form}, status=400)
        except intake.IntakeConflict:
            # The form was sent before and changed since (back button, edit, send): offer it again as a new
            # complaint, with a fresh token.
            data = request.POST.copy()
            data["token"] = uuid.uuid4().hex
            form = PublicTicketForm(data)
            form.is_valid()
            form.add_error(
                None, _("This form was already sent. Check your entries and send again to submit a new complaint.")
            )
            return render(request, self.template_name, {"form": form}, status=409)
        code = receipt.ticket.code
        return render(
            request,
            "servicedesk/public_receipt.html",
            {"code": code, "tracking_url": tracking_url(request, code)},
            status=201 if not receipt.replayed else 200,
        )


class TrackFormView(View):
    """Type a tracking code, go to its page."""

    def get(self, request):
        code = intake.normalise_code(request.GET.get("code", ""))
        if code:
            return HttpResponseRedirect(reverse("servicedesk_track", args=[code]))
        return render(request, "servicedesk/track_form.html", {})


class TrackView(View):
    def get(self, request, code):
        data = intake.tracking(code)
        if data is None:
            raise Http404
        return render(request, "servicedesk/track.html", {"ticket": data})
