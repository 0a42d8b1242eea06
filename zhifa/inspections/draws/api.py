"""API of 双随机 (INS-1, INS-2) under /api/inspections/: the list, inspector register, conflict
declarations, annual plans, draws with their lifecycle actions, and the read-only pairings from which
inspection tasks are created. Every write calls ``services``; every row is reached through ``restrict``."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from zhifa.core.api.viewsets import ScopedReadOnlyViewSet, ScopedSerializerMixin
from zhifa.inspections.models import (
    ConflictDeclaration,
    Draw,
    DrawPairing,
    DrawWitness,
    InspectionListEntry,
    InspectionPlan,
    InspectorEntry,
    PlanItem,
)
from zhifa.orgs.models import Agency, Region

from . import services

# -- serializers -------------------------------------------------------------------------------


class EntrySerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)

    class Meta:
        model = InspectionListEntry
        fields = ["id", "agency", "item", "item_code", "item_name", "legal_basis", "target_kind", "population_rule",
                  "ratio", "frequency", "method", "inspection_kind", "status", "published_on"]
        read_only_fields = ["status", "published_on"]
        extra_kwargs = {"legal_basis": {"required": False, "allow_blank": True}}


class InspectorSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    officer_name = serializers.CharField(source="officer.name", read_only=True)

    class Meta:
        model = InspectorEntry
        fields = ["id", "agency", "officer", "officer_name", "home_region", "is_active", "note"]


class ConflictSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = ConflictDeclaration
        fields = ["id", "officer", "party", "relation", "declared_on", "valid_until", "note"]


class PlanItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanItem
        fields = ["id", "entry", "quarter", "note"]


class PlanSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    participants = serializers.PrimaryKeyRelatedField(many=True, queryset=Agency.objects.filter(is_active=True),
                                                      required=False)
    plan_items = PlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionPlan
        fields = ["id", "year", "title", "agency", "participants", "kind", "ratio_a", "ratio_b", "ratio_c", "ratio_d",
                  "ratio_n", "min_ratio", "repeat_days", "note", "status", "published_on", "plan_items"]
        read_only_fields = ["status", "published_on"]


class WitnessSerializer(serializers.ModelSerializer):
    class Meta:
        model = DrawWitness
        fields = ["position", "name", "value", "entered_at"]


class DrawSerializer(serializers.ModelSerializer):
    witnesses = WitnessSerializer(many=True, read_only=True)
    secret = serializers.SerializerMethodField(help_text="开奖后公布；此前为空。")

    class Meta:
        model = Draw
        fields = ["id", "number", "title", "plan", "agency", "participants", "entries", "region", "draw_date",
                  "ratio_a", "ratio_b", "ratio_c", "ratio_d", "ratio_n", "min_ratio", "repeat_days",
                  "inspectors_per_target", "status", "inputs_sha256", "commitment", "target_count", "inspector_count",
                  "frozen_at", "witnesses", "lottery_name", "lottery_issue", "lottery_value", "lottery_date", "secret",
                  "seed", "result_sha256", "selected_count", "incomplete_teams", "completed_at"]
        read_only_fields = fields

    def get_secret(self, obj) -> str:
        return obj.secret if obj.status == Draw.COMPLETED else ""


class PairingSerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(source="party.name", read_only=True)
    inspector_1_name = serializers.CharField(source="inspector_1.name", read_only=True, default="")
    inspector_2_name = serializers.CharField(source="inspector_2.name", read_only=True, default="")

    class Meta:
        model = DrawPairing
        fields = ["id", "draw", "party", "party_name", "agency", "inspector_1", "inspector_1_name", "inspector_2",
                  "inspector_2_name", "items", "target_class", "reason", "complete"]
        read_only_fields = fields


class PlanItemInput(serializers.Serializer):
    entry = serializers.IntegerField()
    quarter = serializers.ChoiceField(choices=PlanItem.QUARTER_CHOICES, default=0)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class DrawInput(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    title = serializers.CharField(max_length=200)
    entries = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    draw_date = serializers.DateField()
    region = serializers.IntegerField(required=False, allow_null=True, default=None)
    inspectors_per_target = serializers.IntegerField(min_value=1, max_value=5, default=2)


class RulesInput(serializers.Serializer):
    ratio_a = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    ratio_b = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    ratio_c = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    ratio_d = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    ratio_n = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    min_ratio = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    repeat_days = serializers.IntegerField(min_value=0, max_value=3650, required=False)
    inspectors_per_target = serializers.IntegerField(min_value=1, max_value=5, required=False)


class WitnessInput(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    value = serializers.CharField(max_length=64)


class LotteryInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    issue = serializers.CharField(max_length=40)
    value = serializers.CharField(max_length=100)
    date = serializers.DateField()


# -- viewsets ----------------------------------------------------------------------------------


class CreateByServiceMixin(mixins.CreateModelMixin):
    """``create`` builds the instance from validated data and hands it to ``service``."""

    service = None

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        instance = serializer.Meta.model(**data)
        serializer.instance = type(self).service(instance, self.request.user)


class EntryViewSet(CreateByServiceMixin, ScopedReadOnlyViewSet):
    """随机抽查事项清单：新增（草稿）、公布 ``/publish/``、撤回 ``/withdraw/``；未公布的事项不得检查或抽取。"""

    queryset = InspectionListEntry.objects.select_related("item").order_by("agency_id", "id")
    serializer_class = EntrySerializer
    service = services.save_entry
    required_actions = {"publish": "change", "withdraw": "change"}

    def get_queryset(self):
        return self.queryset.restrict(self.request.user, "change" if self.action in ("publish", "withdraw") else "view")

    @extend_schema(request=None, responses=EntrySerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """公布到门户的随机抽查事项清单。"""
        return Response(EntrySerializer(services.publish_entry(self.get_object(), request.user)).data)

    @extend_schema(request=None, responses=EntrySerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """撤回：不能再被抽取或检查。"""
        return Response(EntrySerializer(services.withdraw_entry(self.get_object(), request.user)).data)


class InspectorViewSet(CreateByServiceMixin, ScopedReadOnlyViewSet):
    """执法检查人员名录（抽取时按执法证和职权逐项判断能否检查）。"""

    queryset = InspectorEntry.objects.select_related("officer").order_by("agency_id", "id")
    serializer_class = InspectorSerializer
    service = services.register_inspector


class ConflictViewSet(CreateByServiceMixin, ScopedReadOnlyViewSet):
    """回避关系申报：申报期间该人员不会被抽中检查该对象。"""

    queryset = ConflictDeclaration.objects.order_by("-declared_on", "id")
    serializer_class = ConflictSerializer
    service = services.declare_conflict


class PlanViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """年度抽查计划：增加事项 ``/items/``、公布 ``/publish/``、组织抽取 ``/draws/``。"""

    queryset = InspectionPlan.objects.select_related("agency").prefetch_related("participants", "plan_items") \
        .order_by("-year", "-id")
    serializer_class = PlanSerializer
    required_actions = {"items": "change", "publish": "change", "draw": "change"}

    def get_queryset(self):
        act = "change" if self.action in self.required_actions else "view"
        return self.queryset.restrict(self.request.user, act)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        participants = data.pop("participants", [])
        serializer.instance = services.save_plan(InspectionPlan(**data), self.request.user, participants=participants)

    @extend_schema(request=PlanItemInput, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        """把牵头单位或联合检查单位的一个抽查事项列入计划。"""
        plan = self.get_object()
        body = PlanItemInput(data=request.data)
        body.is_valid(raise_exception=True)
        entry = get_object_or_404(InspectionListEntry._base_manager.filter(agency_id__in=services.plan_agency_ids(plan)),
                                  pk=body.validated_data["entry"])
        services.add_plan_item(plan, entry, request.user, quarter=body.validated_data["quarter"],
                               note=body.validated_data["note"])
        return Response(PlanSerializer(self.get_queryset().get(pk=plan.pk)).data)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """公布计划（全部事项须已公布）。"""
        return Response(PlanSerializer(services.publish_plan(self.get_object(), request.user)).data)

    @extend_schema(request=DrawInput, responses={201: DrawSerializer})
    @action(detail=True, methods=["post"], url_path="draws")
    def draw(self, request, pk=None):
        """在已公布的计划下组织一次抽取（准备中）。"""
        plan = self.get_object()
        body = DrawInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        entries = list(InspectionListEntry._base_manager.filter(plan_items__plan=plan, pk__in=data["entries"]))
        if len(entries) != len(set(data["entries"])):
            raise serializers.ValidationError({"entries": ["所选抽查事项不在该计划中。"]})
        region = None
        if data["region"] is not None:
            region = get_object_or_404(Region._base_manager.filter(path__startswith=plan.agency.region.path),
                                       pk=data["region"])
        draw = services.create_draw(plan, request.user, number=data["number"], title=data["title"], entries=entries,
                                    draw_date=data["draw_date"], region=region,
                                    inspectors_per_target=data["inspectors_per_target"])
        return Response(DrawSerializer(draw).data, status=201)


class TasksInput(serializers.Serializer):
    planned_on = serializers.DateField(help_text="计划检查日期")


TasksOutput = inline_serializer("DrawTasksResult", fields={
    "created": serializers.ListField(child=serializers.IntegerField()), "existing": serializers.IntegerField(),
    "skipped": serializers.ListField(child=serializers.DictField(child=serializers.CharField())),
})


class DrawViewSet(ScopedReadOnlyViewSet):
    """双随机抽取：修改规则 ``/rules/``、冻结公布 ``/freeze/``、见证人随机值 ``/witnesses/``、
    公开开奖结果 ``/lottery/``、开奖 ``/complete/``。公开数据见 ``/public/open-data/draws/<id>.json``。"""

    queryset = Draw.objects.prefetch_related("witnesses", "participants", "entries").order_by("-draw_date", "-id")
    serializer_class = DrawSerializer
    required_actions = {"rules": "change", "freeze": "change", "witnesses": "change", "lottery": "change",
                        "complete": "change", "tasks": "change"}

    def get_queryset(self):
        act = "change" if self.action in self.required_actions else "view"
        return self.queryset.restrict(self.request.user, act)

    def _out(self, draw):
        return Response(DrawSerializer(self.get_queryset().get(pk=draw.pk)).data)

    @extend_schema(request=RulesInput, responses=DrawSerializer)
    @action(detail=True, methods=["post"])
    def rules(self, request, pk=None):
        """冻结前修改分类抽查比例、最低比例、回避期和每个对象检查人员数。"""
        body = RulesInput(data=request.data)
        body.is_valid(raise_exception=True)
        return self._out(services.set_rules(self.get_object(), request.user, **body.validated_data))

    @extend_schema(request=None, responses=DrawSerializer)
    @action(detail=True, methods=["post"])
    def freeze(self, request, pk=None):
        """冻结并公布输入数据和密钥承诺值。"""
        return self._out(services.freeze(self.get_object(), request.user))

    @extend_schema(request=WitnessInput, responses=DrawSerializer)
    @action(detail=True, methods=["post"])
    def witnesses(self, request, pk=None):
        """录入一名见证人的随机值。"""
        body = WitnessInput(data=request.data)
        body.is_valid(raise_exception=True)
        draw = self.get_object()
        services.add_witness(draw, request.user, **body.validated_data)
        return self._out(draw)

    @extend_schema(request=LotteryInput, responses=DrawSerializer)
    @action(detail=True, methods=["post"])
    def lottery(self, request, pk=None):
        """录入冻结后开奖的公开开奖结果。"""
        body = LotteryInput(data=request.data)
        body.is_valid(raise_exception=True)
        return self._out(services.set_lottery(self.get_object(), request.user, **body.validated_data))

    @extend_schema(request=None, responses=DrawSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """开奖：揭示密钥、计算种子、抽取并公布结果，生成抽取结果行。"""
        return self._out(services.complete(self.get_object(), request.user))

    @extend_schema(request=TasksInput, responses=TasksOutput)
    @action(detail=True, methods=["post"])
    def tasks(self, request, pk=None):
        """生成检查任务：每个抽中对象一次检查（联合抽取合并为一次联合检查），重复调用只补生成缺少的。"""
        from ..draw_tasks import create_inspections_from_draw

        body = TasksInput(data=request.data)
        body.is_valid(raise_exception=True)
        result = create_inspections_from_draw(self.get_object(), request.user, **body.validated_data)
        return Response({"created": [i.pk for i in result.created], "existing": result.existing,
                         "skipped": [{"target": t, "reason": r} for t, r in result.skipped]})


class PairingViewSet(ScopedReadOnlyViewSet):
    """抽取结果（检查对象、两名检查人员、检查事项、检查主体），按 ``?draw=`` 筛选；据此生成检查任务。"""

    queryset = DrawPairing.objects.select_related("party", "inspector_1", "inspector_2").prefetch_related("items") \
        .order_by("draw_id", "id")
    serializer_class = PairingSerializer
    filterset_fields = ["draw", "agency", "complete"]
