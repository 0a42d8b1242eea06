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
