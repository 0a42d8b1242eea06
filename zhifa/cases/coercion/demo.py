"""Demo 行政强制: a coercive measure in every state (approved and in force, emergency awaiting the
head's approval, extended, in a testing period, released, confiscated, expiring soon, overdue)
and two enforcements (one in 催告, one applied to the court), replayed on their own dates through
the services an officer uses. Called by ``zhifa.cases.demo.load``."""

import datetime
import io
from decimal import Decimal

from zhifa.catalog import choices as cc
from zhifa.core import clock
from zhifa.records.services import store_file

from .. import services
from . import services as coercion
from .models import CoercionPower

_at = clock.on_day
BASIS = "《中华人民共和国食品安全法》第一百一十条第（四）项"


def _video(story, seed):
    data = b"\x00\x00\x00\x18ftypmp42" + bytes(2048) + str(seed).encode()
    stored = store_file(io.BytesIO(data), f"扣押全程录像{seed}.mp4", "video/mp4")
    return services.add_evidence(story.case, stored, actor=story.u["market_officer"], kind="audiovisual",
                                 title="查封扣押全程录像", captured_at=clock.now() - datetime.timedelta(hours=1),
                                 device="执法记录仪 DSJ-V9", place_text=story.case.place)


def _measure(story, day, seed, kind="seize", goods="涉案预包装食品"):
    """申请 → 批准 → 实施 on ``day``."""
    u = story.u
    with _at(day, 9):
        measure = coercion.start_measure(story.case, actor=u["market_officer"], kind=kind,
                                         reasons=f"{goods}涉嫌不符合食品安全标准，为防止继续销售，", basis=BASIS,
                                         place=story.case.place)
    with _at(day, 10):
        coercion.perform_measure(measure, "approve", actor=u["market_head"], data={"opinion": "同意。"})
    with _at(day, 11):
        video = _video(story, seed)
        return coercion.perform_measure(measure, "execute", actor=u["market_officer"], data={
            "started_at": clock.now(), "place": story.case.place, "recording": video,
            "officers": [story.lead, story.second],
            "inventory": [{"name": goods, "spec": "500克/袋", "quantity": str(10 + seed), "unit": "袋", "note": "仓库"}]})


def load(ctx, story_factory, d, users) -> list:
    """Measures and enforcements on their own cases; returns the stories."""
    from ..demo import _through_decision

    agency = ctx.agencies["云岭县市场监督管理局"]
    CoercionPower.objects.get_or_create(agency=agency, defaults={
        "may_freeze": False, "may_enforce": False,
        "enforce_basis": "市场监督管理部门没有法律授予的行政强制执行权，依法申请人民法院强制执行。"})
    companies = [p for p in ctx.parties if p.kind != "natural" and p.region.path.startswith(agency.region.path)]
    stories = []

    def investigating(n, day):
        s = story_factory(20 + n, companies[(10 + n) % len(companies)])
        s.open(d(day), "", "", f"云岭县商业街{n + 1}号").investigate(d(day - 1), 40 + n)
        stories.append(s)
        return s

    # approved and in force; in the same case an emergency sealing awaiting the head's approval
    s = investigating(0, 8)
    _measure(s, d(6), 1)
    with _at(d(0), 8):
        coercion.start_measure(s.case, actor=users["market_officer"], kind="seal", emergency=True,
                               reasons="现场发现冷库内存放大量来源不明的冻品，情况紧急，", basis=BASIS, place=s.case.place,
                               started_at=clock.now(), officers=[s.lead, s.second], recording=_video(s, 2),
                               inventory=[{"name": "冷冻肉品", "spec": "20千克/箱", "quantity": "6", "unit": "箱"}])
    # extended by the head
    s = investigating(1, 40)
    measure = _measure(s, d(38), 3)
    with _at(d(10), 10):
        coercion.perform_measure(measure, "extend", actor=users["market_head"],
                                 data={"days": 30, "reasons": "涉案食品来源需向外省供货商核查"})
    # in a testing period (not counted)
    s = investigating(2, 20)
    measure = _measure(s, d(18), 4)
    with _at(d(5), 10):
        coercion.perform_measure(measure, "start_testing", actor=users["market_officer"], data={
            "testing_kind": "inspection", "institution": "秦川市食品检验检测中心", "started_on": d(5)})
    # released after testing showed no violation
    s = investigating(3, 30)
    measure = _measure(s, d(28), 5)
    with _at(d(25), 10):
        coercion.perform_measure(measure, "start_testing", actor=users["market_officer"], data={
            "testing_kind": "detection", "institution": "秦川市食品检验检测中心", "started_on": d(25)})
    with _at(d(15), 10):
        coercion.perform_measure(measure, "end_testing", actor=users["market_officer"], data={
            "ended_on": d(15), "result": "检测结果符合食品安全标准。"})
    with _at(d(14), 10):
        coercion.perform_measure(measure, "release", actor=users["market_unit_head"], data={
            "reason": "no_violation", "note": "经检测，涉案食品符合食品安全标准。"})
    # expiring soon (two days left) and overdue (three days past its thirtieth day)
    _measure(investigating(4, 30), d(28), 6)
    _measure(investigating(5, 35), d(33), 7)
    # confiscated: the measure during the investigation, then a decision that confiscates the goods
    s = story_factory(26, companies[16 % len(companies)])
    s.open(d(70), "", "", "云岭县商业街7号").investigate(d(69), 46)
    stories.append(s)
    measure = _measure(s, d(68), 8, goods="过期糕点")
    with _at(d(64), 16):
        benchmark = s.item.benchmark_on(d(64))
        tier = benchmark.tier_for(cc.LIGHT) or benchmark.ordered_tiers()[-1]
        services.set_discretion(s.case, actor=users["market_officer"], level=tier.level,
                                penalty_kinds=[cc.FINE, cc.CONFISCATE_PROPERTY],
                                fine_amount=(tier.fine_min or Decimal("1000")), confiscated_property="过期糕点18袋",
                                deviation_reason="扣押的过期糕点依法应当没收，经负责人批准。",
                                reasoning="当事人能够配合调查。")
    s.go(d(64), "propose").go(d(64), "notify", served_on=d(64)).go(d(50), "decide", "market_head", outcome="penalty")
    with _at(d(49), 10):
        coercion.perform_measure(measure, "dispose", actor=users["market_head"], data={
            "end_kind": "confiscate", "note": "当事人经营超过保质期的糕点，本局已作出没收非法财物的行政处罚决定。"})
    # enforcement: served 60 days ago, fine unpaid — a 催告书 served 3 days ago
    s = _through_decision(story_factory(27, companies[17 % len(companies)]), d, 100, "", cc.LIGHT)
    s.go(d(60), "serve", served_on=d(60), service_method="direct", service_recipient=s.party.name)
    with _at(d(3), 10):
        coercion.start_enforcement(s.case, actor=users["market_officer"], served_on=d(3))
    stories.append(s)
    # enforcement applied to the court: served seven months ago, reminder, statement answered, application
    s = _through_decision(story_factory(28, companies[18 % len(companies)]), d, 260, "", cc.LIGHT)
    s.go(d(215), "serve", served_on=d(215), service_method="direct", service_recipient=s.party.name)
    with _at(d(40), 10):
        enforcement = coercion.start_enforcement(s.case, actor=users["market_officer"], served_on=d(40))
    with _at(d(36), 10):
        coercion.perform_enforcement(enforcement, "statement", actor=users["market_officer"],
                                     data={"statement": "经营困难，请求暂缓缴纳。", "statement_on": d(36)})
        coercion.perform_enforcement(enforcement, "review", actor=users["market_officer"],
                                     data={"review": "当事人未依法申请暂缓缴纳，也未提供证明材料，不予采纳。", "accepted": False})
    with _at(d(1), 10):
        coercion.perform_enforcement(enforcement, "apply_court", actor=users["market_head"],
                                     data={"court": s.case.agency.court or "云岭县人民法院"})
    stories.append(s)
    return stories
