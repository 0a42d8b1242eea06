"""Case API: every change goes through ``zhifa.cases.services``."""

from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.core.api.viewsets import ScopedModelViewSet
from zhifa.records.models import Upload
from zhifa.records.services import events_for, log_access, open_stored, verify_stream

from .. import casefile, services
from ..filters import CaseFilterSet
from ..models import Case
from ..procedures import PROCEDURES
from . import serializers as s


def _refused(exc: services.TransitionRefused):
    return exceptions.ValidationError({"transition": exc.missing})


class CaseViewSet(ScopedModelViewSet):
    """案件。阶段变更使用 ``POST /transition/``；每项操作都写入哈希链全过程记录。"""

    queryset = Case.objects.select_related("agency", "item", "party").prefetch_related("assignments__officer")
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilterSet
    ordering_fields = ["registered_on", "next_deadline"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        officers = data.pop("officers", [])
        case = services.open_case(actor=self.request.user, officers=officers, **data)
        serializer.instance = case

    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        log_access(request.user, "view", case.stream_key, request=request)
        return Response(self.get_serializer(case).data)

    def _case_for_change(self):
        case = self.get_object()
        if not Case.objects.restrict(self.request.user, "change").filter(pk=case.pk).exists():
            raise exceptions.PermissionDenied("您无权办理该案件。")
        return case

    @extend_schema(request=s.TransitionSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """执行下一步（如 file、investigate、propose、notify、decide、serve、close、archive、decide_on_spot）。"""
        case = self._case_for_change()
        body = s.TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        code = data.pop("transition")
        try:
            case = services.perform_transition(case, code, actor=request.user, data=data)
        except services.TransitionRefused as exc:
            raise _refused(exc) from None
        return Response(self.get_serializer(case).data)

    @extend_schema(responses={200: {"type": "array", "items": {"type": "object"}}})
    @action(detail=True, methods=["get"], url_path="next-actions")
    def next_actions(self, request, pk=None):
        """当前环节可执行的步骤及尚缺的条件。"""
        case = self.get_object()
        return Response([
            {"transition": o.transition.code, "name": o.transition.name, "role_allowed": o.role_allowed,
             "ready": o.ready, "missing": o.missing}
            for o in services.available_transitions(case, request.user)
        ])

    @extend_schema(request=s.DiscretionSerializer, responses={200: {"type": "object"}})
    @action(detail=True, methods=["post"])
    def discretion(self, request, pk=None):
        """拟定处罚：与裁量基准比对，偏离须书面理由；返回四张清单的匹配建议。"""
        case = self._case_for_change()
        body = s.DiscretionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = services.set_discretion(case, actor=request.user, **body.validated_data)
        return Response({
            "within_benchmark": result.within_benchmark, "findings": result.findings,
            "no_penalty_grounds": [{"code": g.code, "mandatory": g.mandatory, "article": g.article,
                                    "text": g.sentence} for g in result.grounds],
            "suggestions": [{"id": e.pk, "list": e.get_list_kind_display(), "circumstances": e.circumstances,
                             "legal_basis": e.legal_basis} for e in result.suggestions],
        })

    @extend_schema(request=s.EvidenceSerializer, responses=s.EvidenceSerializer)
    @action(detail=True, methods=["get", "post"])
    def evidence(self, request, pk=None):
        """证据列表；POST 以已上传文件（records 上传接口返回的 file id）登记证据。"""
        if request.method == "GET":
            case = self.get_object()
            return Response(s.EvidenceSerializer(case.evidence.select_related("file"), many=True).data)
        case = self._case_for_change()
        body = s.EvidenceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        stored = data.pop("file")
        if not Upload.objects.filter(owner=request.user, completed=stored).exists():
            raise exceptions.ValidationError({"file": ["只能登记本人上传的文件。"]})
        evidence = services.add_evidence(case, stored, actor=request.user, **data)
        return Response(s.EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.StatementSerializer, responses=s.StatementSerializer)
    @action(detail=True, methods=["get", "post"])
    def statements(self, request, pk=None):
        """陈述申辩意见；POST 登记一条。"""
        if request.method == "GET":
            return Response(s.StatementSerializer(self.get_object().statements.all(), many=True).data)
        case = self._case_for_change()
        body = s.StatementSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        statement = services.record_statement(case, actor=request.user, point=body.validated_data["point"],
                                              received_on=body.validated_data.get("received_on"))
        return Response(s.StatementSerializer(statement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"application/json": {"type": "object"}}, responses=s.StatementSerializer)
    @action(detail=True, methods=["post"], url_path=r"statements/(?P<statement_id>\d+)/answer")
    def answer_statement(self, request, pk=None, statement_id=None):
        """复核答复一条陈述申辩意见：{"answer": "...", "accepted": false}。"""
        case = self._case_for_change()
        statement = get_object_or_404(case.statements, pk=statement_id)
        statement = services.answer_statement(statement, actor=request.user, answer=request.data.get("answer", ""),
                                              accepted=bool(request.data.get("accepted")))
        return Response(s.StatementSerializer(statement).data)

    @extend_schema(request=s.PaymentSerializer, responses=s.PaymentSerializer)
    @action(detail=True, methods=["get", "post"])
    def payments(self, request, pk=None):
        """缴款记录（罚缴分离：只登记银行凭证）；POST 登记一笔。"""
        if request.method == "GET":
            return Response(s.PaymentSerializer(self.get_object().payments.all(), many=True).data)
        case = self._case_for_change()
        body = s.PaymentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payment = services.record_payment(case, actor=request.user, **body.validated_data)
        return Response(s.PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ViolationPeriodSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"], url_path="violation-period")
    def violation_period(self, request, pk=None):
        """记录违法行为终了日期或仍在持续、是否适用五年追责时效（处罚法第三十六条）。"""
        case = self._case_for_change()
        body = s.ViolationPeriodSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.record_violation_period(case, actor=request.user, **body.validated_data)
        return Response(self.get_serializer(case).data)

    @extend_schema(request=s.PaymentPlanSerializer, responses=s.PaymentPlanSerializer(many=True))
    @action(detail=True, methods=["get", "post"], url_path="payment-plans")
    def payment_plans(self, request, pk=None):
        """延期或分期缴纳罚款（经机关负责人批准）；POST 批准一个计划，各期金额合计等于罚款。"""
        if request.method == "GET":
            plans = self.get_object().payment_plans.select_related("approved_by").prefetch_related("instalments")
            return Response(s.PaymentPlanSerializer(plans, many=True).data)
        case = self._case_for_change()
        body = s.PaymentPlanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        parts = [(i["due_on"], i["amount"]) for i in data.pop("instalments")]
        plan = services.approve_payment_plan(case, actor=request.user, instalments=parts, **data)
        return Response(s.PaymentPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.CaseDocumentSerializer(many=True))
    @action(detail=True, methods=["get"])
    def documents(self, request, pk=None):
        """本案已生成的执法文书。"""
        return Response(s.CaseDocumentSerializer(self.get_object().documents.all(), many=True).data)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>\d+)/(?P<fmt>pdf|docx)")
    def document_file(self, request, pk=None, document_id=None, fmt=None):
        """下载文书（PDF 或 DOCX）；下载被记入调阅日志。"""
        case = self.get_object()
        document = get_object_or_404(case.documents.select_related("pdf", "docx"), pk=document_id)
        stored = document.pdf if fmt == "pdf" else document.docx
        log_access(request.user, "download", case.stream_key, request=request)
        return FileResponse(open_stored(stored), as_attachment=True, filename=f"{document.title}.{fmt}",
                            content_type=stored.content_type)

    @extend_schema(responses={200: {"type": "array", "items": {"type": "object"}}})
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        """全过程记录（哈希链事件）。"""
        case = self.get_object()
        log_access(request.user, "view", case.stream_key, request=request)
        return Response([
            {"seq": e.seq, "kind": e.kind, "summary": e.summary, "actor": e.actor_name, "time": e.time,
             "place": e.place_text, "payload": e.payload, "hash": e.hash, "prev_hash": e.prev_hash,
             "algorithm": e.algorithm}
            for e in events_for(case.stream_key)
        ])

    @extend_schema(responses={200: {"type": "array", "items": {"type": "object"}}})
    @action(detail=True, methods=["get"], url_path="case-file")
    def case_file(self, request, pk=None):
        """案卷目录（标准顺序）。"""
        case = self.get_object()
        return Response([
            {"number": e.number, "title": e.title, "doc_number": e.doc_number, "date": e.date,
             "document": getattr(e.document, "pk", None), "evidence": getattr(e.evidence, "pk", None)}
            for e in casefile.entries(case)
        ])

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"], url_path="case-file/pdf")
    def case_file_pdf(self, request, pk=None):
        """案卷 PDF（卷内目录 + 全部文书）；下载被记入调阅日志。"""
        case = self.get_object()
        log_access(request.user, "download", case.stream_key, request=request)
        return HttpResponse(casefile.case_file_pdf(case), content_type="application/pdf", headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(case.number or str(case.pk))}-anjuan.pdf"})

    @extend_schema(responses={(200, "application/zip"): bytes})
    @action(detail=True, methods=["get"], url_path="case-file/media")
    def case_file_media(self, request, pk=None):
        """音像及电子证据材料包（ZIP，含哈希清单）；下载被记入调阅日志。"""
        case = self.get_object()
        log_access(request.user, "download", case.stream_key, request=request)
        return FileResponse(casefile.media_package(case), as_attachment=True,
                            filename=f"{case.number or case.pk}-media.zip", content_type="application/zip")

    @extend_schema(responses={200: {"type": "object"}})
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        """校验本案哈希链及全部存储文件，指出第一处断裂。"""
        case = self.get_object()
        result = verify_stream(case.stream_key)
        log_access(request.user, "verify", case.stream_key, request=request)
        return Response({"ok": result.ok, "checked_events": result.checked_events, "checked_files": result.checked_files,
                         "first_broken_seq": result.first_broken_seq, "problem": result.problem})


class ProcedureViewSet(viewsets.ViewSet):
    """程序定义（环节、步骤、条件、期限），与案件办理校验使用同一份定义。"""

    scope_area = "cases"

    @extend_schema(responses={200: {"type": "array", "items": {"type": "object"}}})
    def list(self, request):
        return Response([{"code": p.code, "name": p.name, "basis": p.basis, "flow": p.flow()} for p in PROCEDURES.values()])


