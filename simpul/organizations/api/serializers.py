import contextlib

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from simpul.core.api.serializers import ScopedModelSerializer
from simpul.organizations import services
from simpul.organizations.models import Instansi, PerangkatDaerah, RoleAssignment, User


class InstansiSerializer(ScopedModelSerializer):
    class Meta:
        model = Instansi
        fields = [
            "id",
            "url",
            "kind",
            "name",
            "slug",
            "region_code",
            "official_domain",
            "address",
            "created_at",
            "updated_at",
        ]


class PerangkatDaerahSerializer(ScopedModelSerializer):
    class Meta:
        model = PerangkatDaerah
        fields = [
            "id",
            "url",
            "instansi",
            "name",
            "short_name",
            "kind",
            "parent",
            "head_name",
            "email",
            "website",
            "is_active",
            "created_at",
            "updated_at",
        ]


class UserSerializer(ScopedModelSerializer):
    password = serializers.CharField(write_only=True, required=False, style={"input_type": "password"})

    class Meta:
        model = User
        fields = [
            "id",
            "url",
            "username",
            "full_name",
            "nip",
            "position",
            "email",
            "phone",
            "instansi",
            "opd",
            "is_active",
            "last_login",
            "password",
        ]
        read_only_fields = ["last_login"]

    def validate(self, attrs):
        if not attrs.get("password") and self.instance is None:
            raise serializers.ValidationError({"password": self.fields["password"].error_messages["required"]})
        # The model's clean() (an OPD of the user's own instansi) runs in the base class; the password
        # rules are the service's, applied when it is saved.
        return super().validate(attrs)

    def create(self, validated_data):
        password = validated_data.pop("password")
        with _as_field_errors():
            return services.create_account(self.context["request"].user, User(**validated_data), password)

    def update(self, instance, validated_data):
        password = validated_data.pop("password", None)
        if not password:
            return super().update(instance, validated_data)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        with _as_field_errors():
            return services.set_password(self.context["request"].user, instance, password, fields=list(validated_data))


@contextlib.contextmanager
def _as_field_errors():
    # DRF answers Django's ValidationError (the services') with a 500. Its own, raised inside the viewset's
    # write, rolls that write back and answers 400 under the field's name.
    try:
        yield
    except DjangoValidationError as error:
        raise serializers.ValidationError(serializers.as_serializer_error(error)) from error


class RoleAssignmentSerializer(ScopedModelSerializer):
    class Meta:
        model = RoleAssignment
        fields = ["id", "url", "user", "role", "instansi", "opd", "created_at"]
