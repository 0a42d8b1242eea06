from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response

from zhifa.core.api.viewsets import ScopedModelViewSet

from ..models import User
from ..views import UserFilterSet
from .serializers import MeSerializer, UserSerializer


class UserViewSet(ScopedModelViewSet):
    """用户账号（安全管理员）。"""

    queryset = User.objects.select_related("region", "agency", "unit").order_by("username")
    serializer_class = UserSerializer
    filterset_class = UserFilterSet


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
@permission_classes([permissions.IsAuthenticated])
def me(request):
    """当前用户及其管辖范围。"""
    return Response(MeSerializer(request.user).data)
