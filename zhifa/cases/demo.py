"""Demo cases: every stage of both procedures, replayed on their own dates through the same
services an officer uses (so each has its documents and a verifiable hash-chained record):
a clue past its filing deadline, investigations, a penalty outside the benchmark, statements,
a hearing, an unserved decision, an unpaid fine accruing surcharge, a paid and closed case,
an archived case file and on-the-spot penalties."""

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from PIL import Image, ImageDraw

from zhifa.accounts.models import User
from zhifa.catalog import choices as cc
from zhifa.core import clock
from zhifa.people.models import Officer
from zhifa.people.services import may_act
from zhifa.records.services import store_file

from . import services

AGENCY = "云岭县市场监督管理局"


_at = clock.on_day


def _photo(text_seed: int, name: str):
    image = Image.new("RGB", (640, 480), (200 + text_seed % 50, 210, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle([40, 60, 600, 420], outline=(60, 60, 60), width=6)
    draw.line([40, 60, 600, 420], fill=(180, 40, 40), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    buffer.seek(0)
    return store_file(buffer, name, "image/jpeg")


class _Story:
    """Replays one case step by step on given days."""

    def __init__(self, ctx, item, party, lead, second, users, agency=AGENCY, officer_user="market_officer"):
        self.ctx, self.item, self.party, self.lead, self.second, self.u = ctx, item, party, lead, second, users
        self.agency, self.officer_user = agency, officer_user
        self.case = None

    def open(self, day, cause, facts, place, procedure="general", officers=None):
        if procedure == "general":  # the cause and facts follow the item the story was given
            cause = "涉嫌" + services.cause_from_item(self.item)
            act = services.cause_from_item(self.item).removesuffix("案")
            provision = getattr(self.item.current_version, "violated_provision", "") or "有关法律法规"
            facts = f"经查，{self.party.name}存在{act}的行为，违反了{provision}的规定。"
        with _at(day):
            self.case = services.open_case(
                actor=self.u[self.officer_user], agency=self.ctx.agencies[self.agency], item=self.item, party=self.party,
                cause=cause, occurred_on=day - datetime.timedelta(days=2), place=place, facts=facts,
                procedure=procedure, officers=officers or [self.lead, self.second], source="inspection",
            )
        return self

    def go(self, day, code, who=None, **data):
        with _at(day, 15):
            self.case = services.perform_transition(self.case, code, actor=self.u[who or self.officer_user], data=data)
        return self

    def investigate(self, day, seed):
        self.go(day, "file", "market_unit_head").go(day, "investigate")
        with _at(day, 11):
            services.add_evidence(self.case, _photo(seed, f"现场照片{seed}.jpg"), actor=self.u["market_officer"],
                                  kind="audiovisual", title="经营场所货架照片", description="证明涉案食品在售",
                                  captured_at=clock.now() - datetime.timedelta(hours=1), device="执法记录仪 DSJ-V9",
                                  place_text=self.case.place)
            services.record_inspection(self.case, actor=self.u["market_officer"], time=clock.now(), place=self.case.place,
                                       content="检查在售预包装食品标签及进货查验记录",
                                       findings="发现货架上在售的预包装食品标签未标注生产日期，共计12袋。")
        return self

    def discretion(self, day, level, amount, kinds=(cc.FINE,), reason=""):
        with _at(day, 16):
            services.set_discretion(self.case, actor=self.u[self.officer_user], level=level, penalty_kinds=list(kinds),
                                    fine_amount=Decimal(amount) if amount is not None else None,
                                    deviation_reason=reason, reasoning="当事人能够配合调查，如实陈述违法事实。")
        return self


def _pick(ctx):
    agency = ctx.agencies[AGENCY]
    officers = [o for o in ctx.officers if o.home_agency_id == agency.pk and o.kind == Officer.KIND_OFFICER and o.is_active]
    lead = next(o for o in officers if o.user and o.user.username == "market_officer")
    items = [i for i in ctx.items if i.agency_id == agency.pk and i.kind == "penalty" and i.status == "in_force"
             and i.benchmark_on(clock.today()) is not None and may_act(lead, i).allowed]
    seconds = [o for o in officers if o.pk != lead.pk and may_act(o, items[0]).allowed]
    return agency, lead, seconds, items


def load(ctx) -> None:
    """Create the demo cases (about a dozen) in every stage."""
    users = {u.username: u for u in User.objects.filter(username__in=[
        "market_officer", "market_unit_head", "market_head", "zonghe_officer"])}
    agency, lead, seconds, items = _pick(ctx)
    parties = [p for p in ctx.parties if p.region.path.startswith(agency.region.path)]
    companies = [p for p in parties if p.kind != "natural"]
    persons = [p for p in parties if p.kind == "natural"]
    today = clock.today()
    d = lambda days: today - datetime.timedelta(days=days)  # noqa: E731
    cases = []

    def story(n, party):
        return _Story(ctx, items[n % len(items)], party, lead, seconds[n % len(seconds)], users)

    # 1. a clue registered long ago and never filed: overdue
    cases.append(story(0, companies[0]).open(d(40), "涉嫌经营标签不符合规定的食品", "群众举报某超市销售无生产日期的食品。", "云岭县人民路18号"))
    # 2. just filed
    cases.append(story(1, companies[1]).open(d(6), "涉嫌经营超过保质期的食品", "日常检查发现超过保质期的食品。", "云岭县新城路5号")
                 .go(d(5), "file", "market_unit_head"))
    # 3. investigating, with evidence and an inspection record
    cases.append(story(2, companies[2]).open(d(12), "涉嫌未按规定进行进货查验", "未能提供进货查验记录。", "云岭县滨河路22号")
                 .investigate(d(10), 3))
    # 4. proposed penalty outside the benchmark, with a written reason (flagged to supervision)
    s = story(3, companies[3]).open(d(20), "涉嫌生产经营不符合食品安全标准的食品", "抽检不合格。", "云岭县丰收路9号").investigate(d(18), 4)
    tier = s.item.benchmark_on(today).tier_for(cc.LIGHT)
    high = (tier.fine_max or Decimal("5000")) * 2 if tier is not None else Decimal("20000")
    cases.append(s.discretion(d(15), cc.LIGHT, high, reason="当事人在同一年度内第二次被发现同类违法行为，经负责人批准从重。")
                 .go(d(15), "propose"))
    # 5. notice served, a statement waiting for its answer
    s = story(4, companies[4]).open(d(25), "涉嫌经营标签不符合规定的食品", "标签缺少生产日期。", "云岭县府前街3号").investigate(d(23), 5)
    s.discretion(d(20), cc.LIGHT, _within(s.item, cc.LIGHT)).go(d(20), "propose").go(d(4), "notify", served_on=d(4))
    with _at(d(2)):
        services.record_statement(s.case, actor=users["market_officer"], point="我店系初次违法，且已主动下架全部问题食品，请求从轻处罚。")
    cases.append(s)
    # 6. hearing requested and scheduled (a grave penalty)
    grave = next((i for i in items if i.benchmark_on(today).tier_for(cc.GRAVE) is not None), items[0])
    s = _Story(ctx, grave, companies[5], lead, seconds[0], users).open(d(45), "涉嫌使用非食品原料生产食品", "在生产车间查获非食用原料。", "云岭县工业园区8号").investigate(d(43), 6)
    s.discretion(d(35), cc.GRAVE, _within(s.item, cc.GRAVE), kinds=_grave_kinds(s.item))
    s.go(d(35), "propose").go(d(12), "notify", served_on=d(12))
    if s.case.hearing_right:
        with _at(d(10)):
            services.request_hearing(s.case, actor=users["market_officer"], requested_on=d(10))
        presiding = next(o for o in seconds if not s.case.assignments.filter(officer=o).exists())
        with _at(d(9)):
            services.schedule_hearing(s.case, actor=users["market_officer"], notified_on=d(9),
                                      scheduled_for=timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=10), datetime.time(9, 30))),
                                      place="云岭县市场监督管理局听证室", presiding=presiding)
    cases.append(s)
    # 7. decided long ago, not yet served: overdue service
    s = _through_decision(story(6, companies[6]), d, 60, "涉嫌经营未按规定标注的进口食品", cc.LIGHT)
    cases.append(s)
    # 8. served, fine unpaid past the due date: surcharge accruing
    s = _through_decision(story(7, companies[7]), d, 80, "涉嫌经营标签虚假标注的食品", cc.ORDINARY)
    s.go(d(30), "serve", served_on=d(30), service_method="direct", service_recipient=s.party.legal_representative or s.party.name)
    cases.append(s)
    # 9. paid and closed
    s = _through_decision(story(8, companies[8]), d, 100, "涉嫌未按规定公示食品经营许可证", cc.LIGHT)
    s.go(d(48), "serve", served_on=d(48), service_method="direct", service_recipient=s.party.legal_representative or s.party.name)
    _pay(s, d(40), users)
    cases.append(s.go(d(38), "close", "market_unit_head"))
    # 10. archived case file
    s = _through_decision(story(9, companies[9]), d, 150, "涉嫌经营腐败变质的食品", cc.LIGHT)
    s.go(d(98), "serve", served_on=d(98), service_method="direct", service_recipient=s.party.legal_representative or s.party.name)
    _pay(s, d(90), users)
    cases.append(s.go(d(85), "close", "market_unit_head").go(d(80), "archive", "market_unit_head"))
    # 11-12. on-the-spot penalties by the comprehensive enforcement bureau: one paid and closed, one awaiting payment
    zonghe = "云岭县综合行政执法局"
    street_officer = next(o for o in ctx.officers if o.user and o.user.username == "zonghe_officer")
    street_item = next(i for i in ctx.items if i.agency_id == ctx.agencies[zonghe].pk and i.kind == "penalty"
                       and may_act(street_officer, i).allowed and _small_fine_tier(i) is not None)
    level, amount = _small_fine_tier(street_item)
    for party, days_ago, pay in ((persons[0], 9, True), (persons[1], 2, False)):
        s = _Story(ctx, street_item, party, street_officer, None, users, agency=zonghe, officer_user="zonghe_officer")
        # The cause names the person, as officers often write it: the public title must not.
        s.open(d(days_ago), f"{party.name}临街阳台外堆放有碍市容的物品案", f"{party.name}在临街建筑物阳台外堆放杂物，有碍市容。",
               "云岭县新城路临街商铺", procedure="simple", officers=[street_officer])
        s.discretion(d(days_ago), level, amount)
        s.go(d(days_ago), "decide_on_spot", certificate_shown=True, party_heard=True)
        if pay:
            _pay(s, d(days_ago - 3), users)
            s.go(d(days_ago - 3), "close")
        cases.append(s)
    # 行政强制: measures in every state and two enforcements (zhifa/cases/coercion/demo.py)
    from .coercion.demo import load as load_coercion

    cases += load_coercion(ctx, story, d, users)
    ctx.cases = [c.case for c in cases]


def _small_fine_tier(item):
    """(level, amount) of a benchmark tier allowing a fine within the on-the-spot limit."""
    benchmark = item.benchmark_on(clock.today())
    for tier in benchmark.ordered_tiers() if benchmark else []:
        if cc.FINE in tier.penalty_kinds and tier.fine_max and tier.fine_max <= 200 and tier.fine_max > 0:
            return tier.level, tier.fine_max.quantize(Decimal("1"))
    return None


def _within(item, level):
    benchmark = item.benchmark_on(clock.today())
    tier = benchmark.tier_for(level) or benchmark.ordered_tiers()[-1]
    low, high = tier.fine_min or Decimal("0"), tier.fine_max or tier.fine_min or Decimal("1000")
    return ((low + high) / 2).quantize(Decimal("100"))


def _grave_kinds(item):
    tier = item.benchmark_on(clock.today()).tier_for(cc.GRAVE)
    kinds = tier.penalty_kinds if tier is not None else [cc.FINE]
    return [k for k in kinds if k in (cc.FINE, cc.SUSPEND_BUSINESS)] or [cc.FINE]


def _through_decision(s, d, start, cause, level):
    s.open(d(start), cause, "经查，当事人存在上述违法行为。", "云岭县城区").investigate(d(start - 2), start)
    s.discretion(d(start - 6), level, _within(s.item, level)).go(d(start - 6), "propose")
    s.go(d(start - 6), "notify", served_on=d(start - 6))
    s.go(d(start - 30), "decide", "market_head", outcome="penalty")
    return s


def _pay(s, day, users):
    from zhifa.cases import rules

    with _at(day, 14):
        amount = rules.amount_due(s.case, day)
        services.record_payment(s.case, actor=users[s.officer_user], paid_on=day, amount=amount,
                                bank="秦川市农商银行云岭支行", bank_reference=f"NS{day:%Y%m%d}{s.case.pk:05d}")
