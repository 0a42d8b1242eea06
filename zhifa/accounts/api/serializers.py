from django.contrib.auth.password_validation import validate_password
from rest_framework import serializers

from zhifa.core.api.viewsets import ScopedSerializerMixin

from ..models import User


class UserSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, required=False, help_text="新建必填")
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "role", "role_display", "region", "agency", "unit", "is_active",
                  "email", "last_login", "password"]
        read_only_fields = ["last_login"]

    def validate(self, attrs):
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": ["新建用户必须设置初始密码。"]})
        if attrs.get("password"):
            validate_password(attrs["password"])
        if not (attrs.get("region") or attrs.get("agency") or attrs.get("unit")) and self.instance is None:
            raise serializers.ValidationError({"non_field_errors": ["用户必须属于一个行政区划、执法主体或执法机构。"]})
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


class MeSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    scope_path = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "role", "role_display", "region", "agency", "unit", "scope_path"]
