from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions as drf_exceptions
from rest_framework import serializers as drf_serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from simpul.accounts import filters, services
from simpul.accounts.api.serializers import ApiKeySerializer
from simpul.accounts.api.throttling import TokenRateThrottle
from simpul.core.api.viewsets import ReadOnlyScopedModelViewSet
from simpul.core.models import ApiKey


class LockedOut(drf_exceptions.APIException):
    status_code = 429
    default_detail = _(
        "Too many failed sign-in attempts: sign-in for this account from your address is blocked for a while."
    )
    default_code = "locked_out"


class TokenRequestSerializer(AuthTokenSerializer):
    """Username and password, plus the authenticator code for accounts with two-factor sign-in."""

    otp_token = drf_serializers.CharField(
        label=_("Authenticator code"),
        required=False,
        allow_blank=True,
        max_length=8,
        write_only=True,
        help_text=_("Only if you turned on two-factor sign-in."),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        # Same rule as the sign-in page: a token must not be a way around two-factor sign-in.
        devices = list(TOTPDevice.objects.devices_for_user(attrs["user"], confirmed=True))
        if devices:
            code = (attrs.get("otp_token") or "").strip()
            if not code:
                raise drf_serializers.ValidationError(
                    {"otp_token": [gettext("Enter the code from your authenticator app.")]}, code="token_required"
                )
            if not any(device.verify_token(code) for device in devices):
                raise drf_serializers.ValidationError(
                    {"otp_token": [gettext("The authenticator code is wrong or expired.")]}, code="invalid_token"
                )
        return attrs


class ObtainTokenView(APIView):
    """POST username and password, receive the account's API token (lockout rules apply)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenRateThrottle]  # instead of the general anonymous limit: a stricter one
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": drf_serializers.CharField()}),
            400: OpenApiResponse(description=_("Wrong username, password or authenticator code.")),
            429: OpenApiResponse(description=_("Locked out after repeated failures, or throttled.")),
        },
        summary=_("Obtain an API token"),
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        valid = serializer.is_valid()
        # django-axes flags the request it was given (this DRF request, not the Django one its middleware
        # sees), so the lockout is answered here rather than as a generic "unable to log in".
        if getattr(request, "axes_locked_out", False):
            raise LockedOut()
        if not valid:
            raise drf_exceptions.ValidationError(serializer.errors)
        return Response({"token": services.api_token_for(serializer.validated_data["user"])})


class ApiKeyViewSet(ReadOnlyScopedModelViewSet):
    """API keys (never their secrets); keys are issued and revoked in the web interface; filter with ?q=
    (name, external system, prefix), ?instansi=, ?owner=, ?user=, ?revoked=."""

    queryset = ApiKey.objects.select_related("instansi", "owner", "user")
    serializer_class = ApiKeySerializer
    filterset_class = filters.ApiKeyFilterSet
