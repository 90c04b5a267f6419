from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from simpul.core.workflow import TransitionError


def exception_handler(exc, context):
    """DRF's handler, plus protected relations as 409 with the blocking records named, and refused
    workflow transitions as `{"code", "detail"}` with the status the transition chose."""
    if isinstance(exc, TransitionError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, ProtectedError | RestrictedError):
        blocking = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or []
        return Response(
            {
                "detail": _("This record cannot be deleted while other records depend on it."),
                "blocking": [str(obj) for obj in list(blocking)[:50]],
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
