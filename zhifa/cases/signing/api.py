"""Case API actions of document signatures (文书签名): ``GET/POST /api/cases/cases/<id>/signatures/``."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.core.api.serializers import DisplayField
from zhifa.documents.signatures import ROLES

from ..models import CaseDocument, Inspection, Interview
from . import services
from .models import SIGNABLE_CHOICES, DocumentSignature


class DocumentSignatureSerializer(serializers.ModelSerializer):
    document_kind = serializers.ChoiceField(source="code", choices=SIGNABLE_CHOICES, read_only=True,
                                            help_text="签署的文书种类")
    document_kind_display = DisplayField(source="get_code_display")
    role_display = DisplayField(source="get_role_display")
    sm3 = serializers.CharField(source="image.hash", read_only=True, allow_null=True, default=None,
                                help_text="签名图片的 SM3（拒绝签名时为空）")

    class Meta:
        model = DocumentSignature
        fields = ["id", "document_kind", "document_kind_display", "role", "role_display", "signer_name", "signed_at", "refused",
                  "interview", "inspection", "sm3", "evidence", "recorded_at"]
        read_only_fields = fields


class SignatureCreateSerializer(serializers.Serializer):
    """一个签名（或拒绝签名）：签署的文书、签名人身份和姓名、签名图片（PNG 的 base64 或 data URL）。"""

    document_kind = serializers.ChoiceField(choices=SIGNABLE_CHOICES, required=False, allow_null=True, default=None,
                                   help_text="签署的文书种类（与 document 二选一）")
    document = serializers.IntegerField(required=False, allow_null=True, default=None,
                                        help_text="签署的本案文书 id（须属于本案）")
    interview = serializers.IntegerField(required=False, allow_null=True, default=None,
                                         help_text="询问笔录所属的询问 id（默认最近一次询问）")
    inspection = serializers.IntegerField(required=False, allow_null=True, default=None,
                                          help_text="现场检查笔录所属的检查 id（默认最近一次检查）")
    role = serializers.ChoiceField(choices=list(ROLES.items()), help_text="签名人身份")
    signer_name = serializers.CharField(max_length=100, help_text="签名人姓名")
    signed_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                          help_text="签名时间（默认现在）")
    refused = serializers.BooleanField(required=False, default=False, help_text="拒绝签名（不附图片）")
    image = serializers.CharField(required=False, allow_blank=True, default="",
                                  help_text="签名图片：PNG 的 base64 或 data:image/png;base64,… （拒绝签名时省略）")


def _of_case(model, pk, case, field):
    if pk is None:
        return None
    row = model.objects.filter(pk=pk, case=case).first()
    if row is None:
        raise serializers.ValidationError({field: ["不属于本案件。" if model.objects.filter(pk=pk).exists() else "不存在。"]})
    return row


class SignatureActionsMixin:
    """``CaseViewSet`` actions: list and record signatures (the service ``signing.services``)."""

    @extend_schema(methods=["GET"], responses=DocumentSignatureSerializer(many=True))
    @extend_schema(methods=["POST"], request=SignatureCreateSerializer, responses={201: DocumentSignatureSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def signatures(self, request, pk=None):
        """文书签名：GET 列出本案的签名；POST 登记一个签名或拒绝签名，打印在所签文书的签名栏，
        已生成的文书重新生成新版本（旧版本保留在全过程记录中）。"""
        if request.method == "GET":
            return Response(DocumentSignatureSerializer(services.signatures_of(self.get_object()), many=True).data)
        case = self._case_for_change()
        body = SignatureCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        document = None
        if data["document"] is not None:
            document = CaseDocument.objects.filter(pk=data["document"]).first()
            if document is None:
                raise serializers.ValidationError({"document": ["文书不存在。"]})
        png = b"" if data["refused"] else services.decode_data_url(data["image"])
        signature = services.sign_with_png(
            case, actor=request.user, png=png, role=data["role"], signer_name=data["signer_name"],
            signed_at=data["signed_at"], code=data["document_kind"], document=document, refused=data["refused"],
            interview=_of_case(Interview, data["interview"], case, "interview"),
            inspection=_of_case(Inspection, data["inspection"], case, "inspection"))
        return Response(DocumentSignatureSerializer(signature).data, status=status.HTTP_201_CREATED)
