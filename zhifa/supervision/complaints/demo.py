"""Demo complaints of 云岭县 (投诉举报): all three channels (portal, staff entry of calls and letters,
the 12345 and 12348 hotlines) in every state — one waiting to be routed, one transferred between
agencies, one overdue, one that became a case, one replied and awaiting the hotline's evaluation,
closed ones with satisfaction — and three complaints about one shop, which the problem model
flags. The portal complaint's query code is ``DEMA-2345-ABCD-6789`` (docs/complaints.md).

The 12345 system's status pushes wait in the outbox until the system administrator configures the
receiver ``hotline-12345`` (后台任务 › 外发消息) — nothing is lost meanwhile."""

import datetime

from django.db import transaction

from zhifa.cases.models import Case
from zhifa.core import clock
from zhifa.parties.models import Party

from ..models.complaints import HOTLINE_12345, HOTLINE_12348, Complaint, HotlineSystem
from . import services
from .problems import acknowledge_overdue  # noqa: F401  (the models are registered)

DEMO_QUERY_CODE = "DEMA-2345-ABCD-6789"
DEMO_HOTLINE_SECRET = "demo-12345-secret"  # the demo's only; a real system gets `zhifa hotline_system add`


def _ago(days: int) -> datetime.datetime:
    return clock.now() - datetime.timedelta(days=days)


def load(ctx) -> None:
    county, city = ctx.regions["云岭县"], ctx.regions["秦川市"]
    market, comprehensive = ctx.agencies["云岭县市场监督管理局"], ctx.agencies["云岭县综合行政执法局"]
    users = ctx.users
    officer, head, zonghe = users["market_officer"], users["market_head"], users["zonghe_officer"]
    supervisor = users["supervisor"]
    shop = Party.objects.filter(agency=market, kind=Party.LEGAL).order_by("pk").first()
    with transaction.atomic():
        h12345 = HotlineSystem.objects.create(code="12345-619900", name="秦川市12345政务服务便民热线",
                                              source=HOTLINE_12345, region=city, secret=DEMO_HOTLINE_SECRET,
                                              receiver="hotline-12345")
        h12348 = HotlineSystem.objects.create(code="12348-619900", name="秦川市12348公共法律服务热线",
                                              source=HOTLINE_12348, region=city, secret=DEMO_HOTLINE_SECRET + "-12348",
                                              receiver="hotline-12348")

        # 1. portal, anonymous, waiting for the supervisor to route it (its query code is known)
        waiting, _ = services.receive(source="portal", region=ctx.regions["青川镇"], kind="tip",
                                      subject="河道旁有人夜间倾倒建筑垃圾", content="青川镇河东路桥下每晚有货车倾倒建筑垃圾。",
                                      place="青川镇河东路桥下", anonymous=True, with_query_code=True,
                                      received_at=_ago(1))
        Complaint.objects.filter(pk=waiting.pk).update(query_code_hash=services.query_code_hash(DEMO_QUERY_CODE))

        # 2. a call, accepted by the market bureau and being checked
        call, _ = services.receive(source="phone", region=county, agency=market, subject="药店无处方销售处方药",
                                   content="县城人民路某药店无处方出售抗生素。", reported_name="人民路某药店",
                                   complainant={"name": "刘晓红", "phone": "13991910001"}, actor=officer,
                                   received_at=_ago(3))
        services.perform(call, "accept", actor=officer, handlers=[officer])

        # 3. a letter, transferred from the market bureau to the comprehensive bureau, accepted there
        letter, _ = services.receive(source="letter", region=county, agency=market, subject="商铺占道经营影响通行",
                                     content="新城路两侧商铺长期占用人行道摆摊。", place="云岭县新城路",
                                     complainant={"name": "周建国", "phone": "13991910002", "address": "云岭县新城路3号"},
                                     actor=officer, received_at=_ago(6))
        letter = services.perform(letter, "transfer", actor=head, agency=comprehensive,
                                  reason="占道经营属城市管理事项，由综合行政执法局管辖。")
        services.perform(letter, "accept", actor=zonghe, handlers=[zonghe])

        # 4. overdue: a call received a month ago that nobody accepted
        late, _ = services.receive(source="phone", region=county, agency=market, subject="超市销售过期食品",
                                   content="白石镇某超市销售过期面包。", reported_party=shop,
                                   reported_name=shop.name if shop else "", actor=officer,
                                   complainant={"name": "马丽", "phone": "13991910003"}, received_at=_ago(30))

        # 5. a 12345 work order that became a case; the case's outcome flowed back; replied, and the
        #    hotline has not evaluated yet
        case = Case.objects.filter(agency=market, decided_on__isnull=False).order_by("pk").first()
        order, _ = services.receive_work_order(h12345, {
            "work_order_number": "QC12345-20261101-0088", "region": county, "subject": "餐饮店使用过期原料",
            "content": "来电反映某餐饮店后厨使用过期原料。", "kind": "tip", "reported_name": shop.name if shop else "",
            "complainant": {"name": "王先生", "phone": "13991910004"}, "received_at": _ago(20)})
        order = services.perform(order, "route", actor=supervisor, agency=market)
        order = services.perform(order, "accept", actor=officer, handlers=[officer])
        if case is not None:
            Case.objects.filter(pk=case.pk).update(source="complaint")
            case.refresh_from_db()
            order = services.perform(order, "decide", actor=officer, decision="open_case", case=case)
            services.on_case_event("transition:decide")(case, actor=head)
        else:
            order = services.perform(order, "decide", actor=officer, decision="handled", reason="已现场核查并责令整改。")
        order.refresh_from_db()
        Complaint.objects.filter(pk=order.pk).update(reported_party=shop)
        services.perform(order, "reply", actor=officer, reply="经查属实，已立案查处，处理结果见案件办理结果。")

        # 6. a 12348 complaint about enforcement, not opened as a case, replied and closed, satisfied
        legal, _ = services.receive_work_order(h12348, {
            "work_order_number": "QC12348-20261020-0012", "region": county, "kind": "enforcement",
            "subject": "执法人员检查时未出示证件", "content": "市场监管执法人员检查时未主动出示执法证件。",
            "complainant": {"name": "孙女士", "phone": "13991910005"}, "received_at": _ago(25)})
        Complaint.objects.filter(pk=legal.pk).update(reported_agency=market)
        legal = services.perform(legal, "route", actor=supervisor, agency=market)
        legal = services.perform(legal, "accept", actor=head, handlers=[head])
        legal = services.perform(legal, "decide", actor=head, decision="handled",
                                 reason="经调取执法记录仪视频核实，已对相关人员批评教育。")
        legal = services.perform(legal, "reply", actor=head, reply="已核实并对执法人员批评教育，感谢监督。")
        services.record_satisfaction(legal, "satisfied", channel=HOTLINE_12348)
        services.perform(legal, "close", actor=supervisor)

        # 7. portal complaints about the same shop: one closed and rated basic, two more waiting
        for n, days in enumerate((15, 9, 2)):
            repeat, _ = services.receive(source="portal", region=county, agency=market,
                                         subject=f"{shop.name if shop else '某商贸公司'}销售假冒商品（第{n + 1}次反映）",
                                         content="网购收到的商品疑似假冒，向商家反映无果。", reported_party=shop,
                                         reported_name=shop.name if shop else "", anonymous=n != 0,
                                         complainant={"name": "陈网购", "phone": "13991910006"},
                                         with_query_code=True, received_at=_ago(days))
            if n == 1:  # decided (已作出处理决定), the reply to the complainant still to write
                repeat = services.perform(repeat, "accept", actor=officer, handlers=[officer])
                services.perform(repeat, "decide", actor=officer, decision="handled",
                                 reason="已约谈商家，责令下架涉嫌假冒商品并送检。")
            if n == 0:
                repeat = services.perform(repeat, "accept", actor=officer, handlers=[officer])
                repeat = services.perform(repeat, "decide", actor=officer, decision="no_case",
                                          reason="经抽检商品为正品，不予立案。")
                repeat = services.perform(repeat, "reply", actor=officer, reply="经抽检，所购商品为正品。")
                services.record_satisfaction(repeat, "basic", channel="portal")
                services.perform(repeat, "close", actor=head)

        # 8. the baseline year of the action plan's −30 % target (ZHIFA_KPI_BASELINE_YEAR, 2023): three
        #    complaints about enforcement, handled and closed, so that 行动方案目标 shows the change
        for month, subject in ((3, "执法人员态度粗暴"), (6, "检查时未出示执法证件"), (9, "处罚前未告知陈述申辩权利")):
            earlier, _ = services.receive(source="phone", region=county, agency=market, kind="enforcement",
                                          subject=subject, content="对市场监管执法人员执法行为的投诉。", anonymous=True,
                                          actor=officer,
                                          received_at=datetime.datetime(2023, month, 6, 2, tzinfo=datetime.UTC))
            Complaint.objects.filter(pk=earlier.pk).update(reported_agency=market)
            earlier = services.perform(earlier, "accept", actor=head, handlers=[head])
            earlier = services.perform(earlier, "decide", actor=head, decision="handled", reason="已核实并批评教育。")
            earlier = services.perform(earlier, "reply", actor=head, reply="已核实并对执法人员批评教育，感谢监督。")
            services.perform(earlier, "close", actor=supervisor)

    from ..problems import evaluate

    for code in ("COMPLAINT_ACK_OVERDUE", "COMPLAINT_DECISION_OVERDUE", "COMPLAINT_REPLY_OVERDUE",
                 "COMPLAINT_REPEATED_PARTY", "COMPLAINT_REPEATED_AGENCY"):
        evaluate(code)
    services.remind_and_escalate()
