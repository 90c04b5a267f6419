"""The service desk's public pages at the site root, in Indonesian as citizens know them (SP4N-LAPOR!'s
"lapor"): the complaint form and the tracking of a ticket by code. Un-namespaced (`SimpulModule.root_urls`)."""

from django.urls import path

from simpul.servicedesk.views import public

urlpatterns = [
    path("lapor/", public.PublicReportView.as_view(), name="servicedesk_public_report"),
    path("lacak/", public.TrackFormView.as_view(), name="servicedesk_track_form"),
    path("lacak/<str:code>/", public.TrackView.as_view(), name="servicedesk_track"),
]
