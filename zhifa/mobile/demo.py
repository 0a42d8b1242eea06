"""Demo data of 掌上执法: on one of market_officer's cases under investigation, an interview note
"captured offline" and accepted, and a statement captured while the phone still showed the case
at 告知 — kept as a conflict on the officer's desk (待办 “离线采集冲突”) to resolve at /m/conflicts/."""

import datetime
import uuid

from zhifa.accounts.models import User
from zhifa.cases.services.actions import RECORDING_STAGES
from zhifa.core import clock

from . import services


def load(ctx):
    load_spot_decisions(ctx)
    officer = User.objects.filter(username="market_officer").first()
    if officer is None:
        return
    case = next((c for c in services.assigned_cases(officer) if c.procedure == "general" and c.stage in RECORDING_STAGES
                 and c.stage != "notice"), None)
    if case is None:
        return
    when = clock.now() - datetime.timedelta(hours=2)
    rng = ctx.rng
    services.receive(officer, uuid.UUID(int=rng.getrandbits(128), version=4), {
        "case": case.pk, "kind": "interview_note", "captured_at": when, "based_on_stage": case.stage,
        "latitude": "34.258333", "longitude": "108.928667",
        "data": {"interviewee": case.party.legal_representative or case.party.name, "place": case.place,
                 "question": "涉案食品从何处购进？", "answer": "从县城批发市场购进，有进货单据。"},
    })
    services.receive(officer, uuid.UUID(int=rng.getrandbits(128), version=4), {
        "case": case.pk, "kind": "statement", "captured_at": when + datetime.timedelta(minutes=20),
        "based_on_stage": "notice", "data": {"point": "当事人表示系初次违法，已下架涉案食品，请求从轻处罚。"},
    })


#: the demo's live party link is /public/d/<DEMO_LINK_TOKEN>/ (a fixed token, for the demo only)
DEMO_LINK_TOKEN = "yanshi-dangchang-jueding-2026"


def load_spot_decisions(ctx):
    """A block of ten reserved numbers for market_officer: one used by an on-the-spot decision
    captured offline yesterday (synced into its case), one voided with a reason, the rest
    unused; and a live one-time link of that decision for the party (``DEMO_LINK_TOKEN``)."""
    from zhifa.cases.forms import competent_items
    from zhifa.cases.models import CaseDocument

    from . import links, numbers
    from .models import DocumentLink

    officer = User.objects.filter(username="market_officer").first()
    item = competent_items(officer).first() if officer else None
    if officer is None or item is None:
        return
    block = numbers.reserve(actor=officer, count=10, device_label="market_officer 的执法手机")
    rng = ctx.rng
    capture, _ = services.receive(officer, uuid.UUID(int=rng.getrandbits(128), version=4), {
        "kind": "spot_decision", "captured_at": clock.now() - datetime.timedelta(days=1),
        "latitude": "34.261004", "longitude": "108.942310",
        "data": {"reserved_number": block[0].pk, "item": item.pk, "party_name": "赵小六", "party_kind": "natural",
                 "party_id_type": "resident_id", "party_id_number": "610113198506123014",
                 "place": "云岭县东风街农贸市场门口", "facts": "当事人在农贸市场门口销售未标明生产日期的散装食品。",
                 "level": "light", "penalty": "warning",
                 "deviation_reason": "违法行为轻微，当场给予警告（处罚法第五十一条）。",
                 "certificate_shown": True, "party_heard": True, "signature": "refused"},
    })
    numbers.void(block[1], actor=officer, reason="填写时笔误，纸质决定书已作废留存")
    document = (CaseDocument.objects.filter(case_id=capture.case_id, code="on_the_spot_decision").first()
                if capture.case_id else None)
    if document is not None:
        link, _ = links.create(document, actor=officer)
        DocumentLink.objects.filter(pk=link.pk).update(token_hash=links.token_hash(DEMO_LINK_TOKEN))
