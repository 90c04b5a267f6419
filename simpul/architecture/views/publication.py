"""Publishing a draft element: an operator requests it, the Admin SPBE publishes directly."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from simpul.architecture import services
from simpul.architecture.views.elements import ElementViews
from simpul.core.views.generic import ModelViewMixin
from simpul.core.workflow import TransitionError


class PublishRequestView(ModelViewMixin, View):
    """An operator asks for their draft element to be published."""

    config = ElementViews

    def post(self, request, pk):
        element = get_object_or_404(self.get_queryset("change"), pk=pk)
        try:
            proposal = services.request_publication(request.user, element)
        except TransitionError as error:
            messages.error(request, error.detail)
            return redirect(element.get_absolute_url())
        messages.success(request, _("Publication was requested from the Admin SPBE."))
        return redirect(proposal.get_absolute_url())


class PublishView(ModelViewMixin, View):
    """The Admin SPBE publishes a draft directly (approving a publication request that waits for it)."""

    config = ElementViews

    def post(self, request, pk):
        element = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            services.publish_element(request.user, element)
        except TransitionError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, _("%(name)s is published.") % {"name": element})
        return redirect(element.get_absolute_url())
