"""Demo data of document signatures (文书签名): on market_officer's case the interviewee and the
officer sign the 询问笔录, and on zonghe_officer's unpaid on-the-spot case the party and the officer
sign the 当场行政处罚决定书 — each document then has a new version printing both signatures (open
the case's 笔录与文书 tab: the latest DOCX/PDF shows them; the record names their SM3)."""

import datetime
import io

from zhifa.accounts.models import User
from zhifa.cases.models import Case
from zhifa.core import clock

from . import services


def drawn_signature(rng, strokes: int = 3) -> bytes:
    """A handwriting-like PNG drawn with Pillow (random strokes from the demo's seeded ``rng``)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 110), "white")
    pen = ImageDraw.Draw(image)
    x = 15
    for _ in range(strokes):
        points = []
        for _ in range(5):
            points.append((x, rng.randint(25, 85)))
            x += rng.randint(10, 22)
        pen.line(points, fill="black", width=4, joint="curve")
        x += 12
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _sign(case, officer, code, signers, when):
    for offset, (role, name) in enumerate(signers):
        services.sign_with_png(case, actor=officer, png=drawn_signature(_sign.rng), code=code, role=role,
                               signer_name=name, signed_at=when + datetime.timedelta(minutes=offset))


def load(ctx):
    _sign.rng = ctx.rng
    when = clock.now() - datetime.timedelta(hours=1)
    officer = User.objects.filter(username="market_officer").first()
    if officer is not None:
        case = (Case.objects.restrict(officer, "change").filter(documents__code="interview_record",
                                                                 assignments__officer__user=officer)
                .exclude(stage__in=["closed", "archived"]).order_by("pk").first())
        if case is not None:
            interview = case.interviews.order_by("-time", "-pk").first()
            _sign(case, officer, "interview_record",
                  [("interviewee", interview.interviewee.split("（")[0][:20]), ("officer1", officer.display_name or officer.username)], when)
    officer = User.objects.filter(username="zonghe_officer").first()
    if officer is not None:
        case = (Case.objects.restrict(officer, "change").filter(procedure="simple",
                                                                 documents__code="on_the_spot_decision")
                .exclude(stage__in=["closed", "archived"]).order_by("pk").first())
        if case is not None:
            _sign(case, officer, "on_the_spot_decision",
                  [("party", case.party.name), ("officer1", officer.display_name or officer.username)], when)
