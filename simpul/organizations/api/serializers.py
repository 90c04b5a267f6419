import copy

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from simpul.core.api.serializers import ScopedModelSerializer
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
        password = attrs.get("password")
        if not password and self.instance is None:
            raise serializers.ValidationError({"password": self.fields["password"].error_messages["required"]})
        # The model's clean() (an OPD of the user's own instansi) runs in the base class.
        attrs = super().validate(attrs)
        if password:
            # Compared with the account's name and e-mail, as they will be after this request.
            similar_to = copy.copy(self.instance) if self.instance is not None else User()
            for key, value in attrs.items():
                if key != "password":
                    setattr(similar_to, key, value)
            try:
                password_validation.validate_password(password, similar_to)
            except DjangoValidationError as error:
                raise serializers.ValidationError({"password": list(error.messages)}) from error
        return attrs

    def create(self, validated_data):
        password = validated_data.pop("password")
        user = User(**validated_data)
        user.set_password(password)
        user.save()
        return user

    def update(self, instance, validated_data):
        password = validated_data.pop("password", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        if password:
            instance.set_password(password)
        instance.save()
        return instance


class RoleAssignmentSerializer(ScopedModelSerializer):
    class Meta:
        model = RoleAssignment
        fields = ["id", "url", "user", "role", "instansi", "opd", "created_at"]
