from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from zhifa.core.api.serializers import DisplayField
from zhifa.core.api.viewsets import ScopedSerializerMixin

from .. import services
from ..models import User


class UserSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, required=False,
                                     help_text="新建必填；修改时填写即重置密码（用户下次登录须修改，令牌作废）")
    role_display = DisplayField(source="get_role_display")

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "role", "role_display", "region", "agency", "unit", "is_active",
                  "email", "last_login", "password"]
        read_only_fields = ["last_login"]

    def validate(self, attrs):
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": ["新建用户必须设置初始密码。"]})
        if attrs.get("password"):
            try:
                validate_password(attrs["password"], self.instance)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"password": exc.messages}) from None
        if not (attrs.get("region") or attrs.get("agency") or attrs.get("unit")) and self.instance is None:
            raise serializers.ValidationError({"non_field_errors": ["用户必须属于一个行政区划、执法主体或执法机构。"]})
        return attrs

    def _save(self, user, original, validated_data):
        request = self.context["request"]
        return services.save_account(user, actor=request.user, original=original,
                                     password=validated_data.get("password") or "", request=request)

    def create(self, validated_data):
        data = {k: v for k, v in validated_data.items() if k != "password"}
        return self._save(User(**data), None, validated_data)

    def update(self, instance, validated_data):
        original = User.objects.get(pk=instance.pk)
        for key, value in validated_data.items():
            if key != "password":
                setattr(instance, key, value)
        return self._save(instance, original, validated_data)


class MeSerializer(serializers.ModelSerializer):
    role_display = DisplayField(source="get_role_display")
    scope_path = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "role", "role_display", "region", "agency", "unit", "scope_path"]


class AuthTokenSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名")
    password = serializers.CharField(label="密码", style={"input_type": "password"}, trim_whitespace=False)
    otp_token = serializers.CharField(label="动态口令或恢复码", required=False, allow_blank=True,
                                      help_text="已绑定身份验证器的账户（三员、执法监督人员必须绑定）必填")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires = serializers.DateTimeField(help_text="令牌失效时间；修改密码、变更角色或停用账户时提前作废")


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(trim_whitespace=False)
    new_password = serializers.CharField(trim_whitespace=False)
