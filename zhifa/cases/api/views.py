"""Case API: every change goes through ``zhifa.cases.services``."""

from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.accounts import roles
from zhifa.core import clock
from zhifa.core.api.viewsets import ScopedModelViewSet
from zhifa.core.pagination import counted_as
from zhifa.records.models import Upload
from zhifa.records.services import events_for, log_access, open_stored, verify_stream

from .. import casefile, services
from ..filters import CaseFilterSet
from ..models import LIST_FIELDS, Case, Hearing
from ..procedures import PROCEDURES
from ..signing.api import SignatureActionsMixin
from . import serializers as s
from .coercion import CoercionActionsMixin


def _refused(exc: services.TransitionRefused):
    """A refused transition: the message names the step and every missing requirement, each
    also listed under ``fields.transition``."""
    return exceptions.ValidationError({"transition": exc.missing, "non_field_errors": [exc.messages[0]]})


class PdfNotReady(exceptions.APIException):
    """The document's PDF is still being generated, or its generation failed (409)."""

    status_code = 409
    default_code = "pdf_not_ready"
    default_detail = "文书的PDF尚未生成。"


class CaseViewSet(SignatureActionsMixin, CoercionActionsMixin, ScopedModelViewSet):
    """案件。阶段变更使用 ``POST /transition/``；每项操作都写入哈希链全过程记录。"""

    queryset = Case.objects.select_related("agency", "item", "party").prefetch_related("assignments__officer")
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilterSet
    ordering_fields = ["registered_on", "next_deadline"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":  # the slim list reads no officers (issue #14)
            return queryset.prefetch_related(None).select_related(None).select_related("agency", "party") \
                .only(*LIST_FIELDS)
        return queryset

    def get_serializer_class(self):
        return s.CaseListSerializer if self.action == "list" else super().get_serializer_class()

    def list(self, request, *args, **kwargs):
        """The page read as values and written by ``CaseListSerializer.row`` (issue #14)."""
        filtered = self.filter_queryset(self.get_queryset())
        queryset = counted_as(filtered.values(*s.CaseListSerializer.VALUES), filtered)
        page = self.paginate_queryset(queryset)
        today = clock.today()
        rows = [s.CaseListSerializer.row(values, today) for values in (queryset if page is None else page)]
        return Response(rows) if page is None else self.get_paginated_response(rows)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        officers = data.pop("officers", [])
        case = services.open_case(actor=self.request.user, officers=officers, **data)
        serializer.instance = case

    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        log_access(request.user, "view", case.stream_key, request=request)
        return Response(self.get_serializer(case).data)

    def _body(self, serializer_class, case=None) -> dict:
        """The request body parsed by its typed serializer (related ids reached through ``restrict``)."""
        context = {**self.get_serializer_context(), "case": case}
        body = serializer_class(data=self.request.data, context=context)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

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

    @extend_schema(responses=s.NextActionsSerializer)
    @action(detail=True, methods=["get"], url_path="next-actions", pagination_class=None, filter_backends=[])
    def next_actions(self, request, pk=None):
        """您现在可以办理的步骤和操作，各自尚缺的条件或不能办理的原因（与案件页面的按钮同一来源）。"""
        case = self.get_object()
        return Response(s.NextActionsSerializer(_next_actions_data(case, request.user)).data)

    @extend_schema(request=s.DiscretionSerializer, responses=s.DiscretionResultSerializer)
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

    @extend_schema(request=s.OtherExecutionSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"], url_path="other-execution")
    def other_execution(self, request, pk=None):
        """登记罚没款以外处罚种类（没收非法财物、暂扣或吊销许可证件、责令停产停业……）的执行情况。"""
        case = self._case_for_change()
        data = self._body(s.OtherExecutionSerializer, case)
        case = services.record_other_execution(case, actor=request.user, **data)
        return Response(self.get_serializer(case).data)

    @extend_schema(methods=["GET"], responses=s.EvidenceSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.EvidenceSerializer, responses={201: s.EvidenceSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
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

    @extend_schema(methods=["GET"], responses=s.StatementSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.StatementSerializer, responses={201: s.StatementSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
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

    @extend_schema(request=s.AnswerStatementSerializer, responses=s.StatementSerializer)
    @action(detail=True, methods=["post"], url_path=r"statements/(?P<statement_id>\d+)/answer")
    def answer_statement(self, request, pk=None, statement_id=None):
        """复核答复一条陈述申辩意见（陈述申辩不得加重处罚）。"""
        case = self._case_for_change()
        statement = get_object_or_404(case.statements, pk=statement_id)
        data = self._body(s.AnswerStatementSerializer, case)
        statement = services.answer_statement(statement, actor=request.user, **data)
        return Response(s.StatementSerializer(statement).data)

    @extend_schema(methods=["GET"], responses=s.PaymentSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.PaymentSerializer, responses={201: s.PaymentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
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
    @action(detail=True, methods=["get", "post"], url_path="payment-plans", pagination_class=None, filter_backends=[])
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
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def documents(self, request, pk=None):
        """本案已生成的执法文书。"""
        return Response(s.CaseDocumentSerializer(self.get_object().documents.all(), many=True).data)

    @extend_schema(request=None, responses={202: s.CaseDocumentSerializer})
    @action(detail=True, methods=["post"], url_path=r"documents/(?P<document_id>\d+)/retry-pdf")
    def retry_pdf(self, request, pk=None, document_id=None):
        """重新生成文书 PDF（PDF 生成失败后）：转入“正在生成”，由后台任务转换。"""
        from ..documents import retry_pdf

        case = self.get_object()
        document = get_object_or_404(case.documents.all(), pk=document_id)
        document = retry_pdf(document, actor=request.user)
        return Response(s.CaseDocumentSerializer(document).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>\d+)/(?P<fmt>pdf|docx)")
    def document_file(self, request, pk=None, document_id=None, fmt=None):
        """下载文书（PDF 或 DOCX）；下载被记入调阅日志。"""
        case = self.get_object()
        document = get_object_or_404(case.documents.select_related("pdf", "docx"), pk=document_id)
        stored = document.pdf if fmt == "pdf" else document.docx
        if stored is None:
            raise PdfNotReady(f"《{document.title}》的PDF{document.get_pdf_status_display()}，请稍后再试。")
        log_access(request.user, "download", case.stream_key, request=request)
        return FileResponse(open_stored(stored), as_attachment=True, filename=f"{document.title}.{fmt}",
                            content_type=stored.content_type)

    @extend_schema(responses=s.CaseEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        """全过程记录（哈希链事件）。"""
        case = self.get_object()
        log_access(request.user, "view", case.stream_key, request=request)
        return Response(s.CaseEventSerializer([
            {"seq": e.seq, "kind": e.kind, "summary": e.summary, "actor": e.actor_name, "time": e.time,
             "place": e.place_text, "payload": e.payload, "hash": e.hash, "prev_hash": e.prev_hash,
             "algorithm": e.algorithm}
            for e in events_for(case.stream_key)
        ], many=True).data)

    @extend_schema(responses=s.CaseFileEntrySerializer(many=True))
    @action(detail=True, methods=["get"], url_path="case-file", pagination_class=None, filter_backends=[])
    def case_file(self, request, pk=None):
        """案卷卷内目录：先正卷、后副卷，按统一的组卷顺序（CASE_FILE_ORDER），每卷分别编序号和页号。"""
        case = self.get_object()
        log_access(request.user, "view", case.stream_key, request=request)
        return Response(s.CaseFileEntrySerializer([
            {"volume": e.volume, "volume_title": e.volume_title, "section": e.section, "section_title": e.section_title,
             "number": e.number, "title": e.title, "doc_number": e.doc_number, "date": e.date, "acted_on": e.acted_on,
             "pages": e.pages, "first_page": e.first_page, "page_range": e.page_range,
             "document": getattr(e.document, "pk", None), "evidence": getattr(e.evidence, "pk", None),
             "payment": getattr(e.payment, "pk", None)}
            for e in casefile.entries(case)
        ], many=True).data)

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

    @extend_schema(responses=s.VerifySerializer)
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        """校验本案哈希链及全部存储文件，指出第一处断裂，并与最新的签名检查点比对。"""
        case = self.get_object()
        result = verify_stream(case.stream_key)  # re-hashes every file, unlike the page's badge
        from zhifa.records.verification import record_results

        record_results(case.stream_key, result, by="api:verify")
        log_access(request.user, "verify", case.stream_key, request=request)
        return Response(s.VerifySerializer({
            "ok": result.ok, "checked_events": result.checked_events, "checked_files": result.checked_files,
            "first_broken_seq": result.first_broken_seq, "problem": result.problem or "",
            "checkpoint": result.checkpoint, "changed_since_checkpoint": result.changed_since_checkpoint}).data)

    # --- Actions that are not moves between stages: one typed body, one service call each ---

    @extend_schema(methods=["GET"], responses=s.AssignmentSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.AssignOfficerSerializer, responses={201: s.AssignmentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def officers(self, request, pk=None):
        """办案人员；POST 指定一名（本机关在岗执法人员，不能是执法辅助人员）。"""
        if request.method == "GET":
            case = self.get_object()
            return Response(s.AssignmentSerializer(case.assignments.select_related("officer"), many=True).data)
        case = self._case_for_change()
        data = self._body(s.AssignOfficerSerializer, case)
        assignment = services.assign_officer(case, data["officer"], actor=request.user, role=data["role"])
        return Response(s.AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=s.InspectionSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.InspectionSerializer, responses={201: s.InspectionSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def inspections(self, request, pk=None):
        """现场检查；POST 制作现场检查笔录（生成文书并写入全过程记录）。"""
        if request.method == "GET":
            return Response(s.InspectionSerializer(self.get_object().inspections.all(), many=True).data)
        case = self._case_for_change()
        data = self._body(s.InspectionSerializer, case)
        inspection = services.record_inspection(case, actor=request.user, time=data["time"], place=data["place"],
                                                content=data["content"], findings=data["findings"],
                                                recording=data.get("recording"))
        return Response(s.InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=s.InterviewSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.InterviewSerializer, responses={201: s.InterviewSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def interviews(self, request, pk=None):
        """询问；POST 制作询问笔录（在办案场所询问须选择全程录音录像）。"""
        if request.method == "GET":
            return Response(s.InterviewSerializer(self.get_object().interviews.all(), many=True).data)
        case = self._case_for_change()
        data = self._body(s.InterviewSerializer, case)
        questions = [{"q": qa["q"].strip(), "a": qa["a"].strip()} for qa in data["questions"] if qa["q"].strip()]
        interview = services.record_interview(
            case, actor=request.user, interviewee=data["interviewee"], time=data["time"], place=data["place"],
            questions=questions, in_interview_room=data.get("in_interview_room", False),
            recording=data.get("recording"),
        )
        return Response(s.InterviewSerializer(interview).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.WaiveRightsSerializer, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"], url_path="waive-rights")
    def waive_rights(self, request, pk=None):
        """当事人书面明确放弃陈述、申辩和听证权利。"""
        case = self._case_for_change()
        data = self._body(s.WaiveRightsSerializer, case)
        case = services.waive_rights(case, actor=request.user, note=data["note"])
        return Response(self.get_serializer(case).data)

    @extend_schema(responses=s.HearingSerializer)
    @action(detail=True, methods=["get"])
    def hearing(self, request, pk=None):
        """听证（当事人申请后才有）。"""
        case = self.get_object()
        hearing = Hearing.objects.filter(case=case).select_related("presiding").first()
        if hearing is None:
            raise exceptions.NotFound("当事人未申请听证。")
        return Response(s.HearingSerializer(hearing).data)

    @extend_schema(request=s.HearingRequestSerializer, responses={201: s.HearingSerializer})
    @action(detail=True, methods=["post"], url_path="hearing/request")
    def hearing_request(self, request, pk=None):
        """登记听证申请（告知书送达后五个工作日内）。"""
        case = self._case_for_change()
        data = self._body(s.HearingRequestSerializer, case)
        hearing = services.request_hearing(case, actor=request.user, requested_on=data.get("requested_on"))
        return Response(s.HearingSerializer(hearing).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.HearingScheduleSerializer, responses=s.HearingSerializer)
    @action(detail=True, methods=["post"], url_path="hearing/schedule")
    def hearing_schedule(self, request, pk=None):
        """通知听证（七个工作日前通知；主持人非本案调查人员）。"""
        case = self._case_for_change()
        data = self._body(s.HearingScheduleSerializer, case)
        hearing = services.schedule_hearing(case, actor=request.user, **data)
        return Response(s.HearingSerializer(hearing).data)

    @extend_schema(request=s.HearingRecordSerializer, responses=s.HearingSerializer)
    @action(detail=True, methods=["post"], url_path="hearing/record")
    def hearing_record(self, request, pk=None):
        """听证笔录，或当事人无正当理由未出席（视为放弃）。"""
        case = self._case_for_change()
        data = self._body(s.HearingRecordSerializer, case)
        hearing = services.record_hearing(case, actor=request.user, **data)
        return Response(s.HearingSerializer(hearing).data)

    @extend_schema(methods=["GET"], responses=s.ExtensionSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.ExtensionSerializer, responses={201: s.ExtensionSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def extensions(self, request, pk=None):
        """延长办案期限；POST 由机关负责人批准一次延长。"""
        if request.method == "GET":
            return Response(s.ExtensionSerializer(self.get_object().extensions.all(), many=True).data)
        case = self._case_for_change()
        data = self._body(s.ExtensionSerializer, case)
        extension = services.approve_extension(case, actor=request.user, days=data["days"], reason=data["reason"])
        return Response(s.ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=s.RemedySerializer(many=True))
    @extend_schema(methods=["POST"], request=s.RemedySerializer, responses={201: s.RemedySerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def remedies(self, request, pk=None):
        """行政复议、行政诉讼；POST 登记一项（决定作出后，归档后也可以）。"""
        if request.method == "GET":
            return Response(s.RemedySerializer(self.get_object().remedies.all(), many=True).data)
        case = self._case_for_change()
        data = self._body(s.RemedySerializer, case)
        remedy = services.record_remedy(case, actor=request.user, kind=data["kind"], body=data["body"],
                                        filed_on=data["filed_on"], note=data.get("note", ""))
        return Response(s.RemedySerializer(remedy).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RemedyResultSerializer, responses=s.RemedySerializer)
    @action(detail=True, methods=["post"], url_path=r"remedies/(?P<remedy_id>\d+)/result")
    def remedy_result(self, request, pk=None, remedy_id=None):
        """登记复议或诉讼结果；撤销、变更或确认违法的，公示信息须在3个工作日内撤回或注明。"""
        case = self._case_for_change()
        remedy = get_object_or_404(case.remedies, pk=remedy_id)
        data = self._body(s.RemedyResultSerializer, case)
        remedy = services.record_remedy_result(remedy, actor=request.user, **data)
        return Response(s.RemedySerializer(remedy).data)

    @extend_schema(request=s.OnTheSpotSerializer, responses={201: s.CaseSerializer})
    @action(detail=False, methods=["post"], url_path="on-the-spot")
    def on_the_spot(self, request):
        """当场处罚（简易程序）一次完成：登记、拟定处罚、现场照片、当场作出决定；任一条件不满足则不保存任何内容。"""
        data = self._body(s.OnTheSpotSerializer)
        photo = data.pop("photo", None)
        if photo is not None and not Upload.objects.filter(owner=request.user, completed=photo).exists():
            raise exceptions.ValidationError({"photo": ["只能登记本人上传的文件。"]})
        try:
            case = services.decide_on_the_spot(actor=request.user, photo=photo, **data)
        except services.TransitionRefused as exc:
            raise _refused(exc) from None
        case = self.get_queryset().get(pk=case.pk)
        return Response(self.get_serializer(case).data, status=status.HTTP_201_CREATED)


def _next_actions_data(case, user) -> dict:
    """``services.next_actions`` in the shape of ``NextActionsSerializer``."""
    result = services.next_actions(case, user)
    labels = dict(roles.ROLE_CHOICES)
    definition = case.procedure_definition
    return {
        "refusal": result.refusal,
        "transitions": [
            {"code": o.transition.code, "name": o.transition.name, "target": definition.stage(o.transition.target).name,
             "roles": [labels[r] for r, _ in roles.ROLE_CHOICES if r in o.transition.roles],
             "role_allowed": o.role_allowed, "ready": o.ready, "missing": o.missing, "refusal": o.refusal,
             "api_path": "transition/"}
            for o in result.transitions
        ],
        "actions": [
            {"code": o.action.code, "name": o.action.name, "api_path": o.action.api_path, "available": o.available,
             "refusal": o.refusal}
            for o in result.actions
        ],
    }


class ProcedureViewSet(viewsets.ViewSet):
    """程序定义（环节、步骤、条件、期限），与案件办理校验使用同一份定义。"""

    scope_area = "cases"

    @extend_schema(responses={200: {"type": "array", "items": {"type": "object"}}})
    def list(self, request):
        return Response([{"code": p.code, "name": p.name, "basis": p.basis, "flow": p.flow()} for p in PROCEDURES.values()])


