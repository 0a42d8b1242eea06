from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifa.core.api.viewsets import ScopedModelViewSet

from .. import services
from ..models import User
from ..views import UserFilterSet
from .serializers import (
    AuthTokenSerializer,
    MeSerializer,
    PasswordChangeSerializer,
    TokenSerializer,
    UserSerializer,
)


class UserViewSet(ScopedModelViewSet):
    """用户账号（安全管理员）。三员角色不能在此授予，三员账户和本人账户不能在此修改。"""

    queryset = User.objects.select_related("region", "agency", "unit").order_by("username")
    serializer_class = UserSerializer
    filterset_class = UserFilterSet

    def get_object(self):
        obj = super().get_object()
        if self.request.method not in permissions.SAFE_METHODS:
            services.check_account_change(self.request.user, obj, new_role=obj.role)
        return obj

    def perform_create(self, serializer):
        serializer.save()  # services.save_account: one transaction, scope re-checked

    def perform_update(self, serializer):
        serializer.save()

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        """解除账户锁定（记入审计日志）。"""
        services.unlock(self.get_object(), actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"], url_path="reset-otp")
    def reset_otp(self, request, pk=None):
        """删除用户的身份验证器和恢复码，用户下次登录时重新绑定。"""
        services.reset_second_factor(self.get_object(), actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
@permission_classes([permissions.IsAuthenticated])
def me(request):
    """当前用户及其管辖范围。"""
    return Response(MeSerializer(request.user).data)


@extend_schema(request=PasswordChangeSerializer, responses={204: None})
@api_view(["POST"])
@permission_classes([permissions.IsAuthenticated])
def change_password(request):
    """修改本人密码；所有 API 令牌随即作废（包括本次使用的令牌）。"""
    serializer = PasswordChangeSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    services.change_own_password(request.user, request=request, **serializer.validated_data)
    return Response(status=status.HTTP_204_NO_CONTENT)


class SignInRefused(exceptions.APIException):
    status_code = 400
    default_code = "invalid_credentials"


class TokenView(APIView):
    """POST：用户名、密码（及动态口令）换取 API 令牌；DELETE：作废当前令牌。"""

    permission_classes = [permissions.AllowAny]
    throttle_classes = []

    def initialize_request(self, request, *args, **kwargs):
        """Signing in needs no authentication, and a stale ``Authorization`` header must not
        stand in its way; revoking (DELETE) authenticates as usual."""
        if request.method == "POST":
            self.authentication_classes = []
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(request=AuthTokenSerializer, responses=TokenSerializer, auth=[])
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if user is None:
            until = services.locked_until(data["username"])
            if until is not None:
                raise SignInRefused(services.lock_message(until), code="locked")
            raise SignInRefused("用户名或密码错误。", code="invalid_credentials")
        if services.needs_second_factor(user):
            if not services.has_second_factor(user):
                raise exceptions.PermissionDenied(
                    "您的角色必须使用双因素认证，请先在网页上绑定身份验证器。", code="otp_enrolment_required")
            if not data.get("otp_token"):
                raise SignInRefused("请提供动态口令（otp_token）。", code="otp_required")
            if services.verify_second_factor(user, data["otp_token"], request=request) is None:
                until = services.locked_until(user)
                raise SignInRefused(services.lock_message(until) if until else "动态口令或恢复码不正确。",
                                    code="locked" if until else "otp_invalid")
        reason = services.password_change_required(user)
        if reason:
            raise exceptions.PermissionDenied(f"{reason}请在网页上修改密码后再获取令牌。", code="password_change_required")
        services.register_success(user)
        token = services.issue_token(user, request=request)
        return Response(TokenSerializer({"token": token.key, "expires": services.token_expires_at(token)}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if request.auth is None or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        services.revoke_tokens(request.user, reason="本人注销令牌", request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
