"""Signatures printed on documents (文书签名栏): which signer roles a document kind's signature
block has, and the ``signatures`` section of the template context.

A signature drawn on a screen (掌上执法 or the case page) is a PNG stored content-addressed
(SM3) in the records app. A document of a kind listed in ``SIGNATURE_BLOCKS`` prints, for each
role of its block, the signature image with the signer's name, the time signed and the first
16 hex digits of the image's SM3 under it; a role nobody signed keeps the blank line for a hand
signature; a signer who refused prints "当事人拒绝签名" (or the role's own wording).

The image travels in the context as a ``SignatureImage`` (bytes); ``rendering.render_docx``
turns it into a docxtpl ``InlineImage`` of the template being rendered. Keys (for an agency's
own template, see ``KEY_DESCRIPTIONS`` in ``context.py``): ``signatures.<role>.mark`` prints
the image, the refusal or the blank line in one field; ``.caption`` the line under it; and
``.image``/``.name``/``.signed_at``/``.sm3``/``.sm3_short``/``.refused`` one by one.
"""

import functools
import io
from dataclasses import dataclass

#: signer roles (签名人身份), in the order a block lists them
ROLES: dict[str, str] = {
    "party": "当事人",
    "interviewee": "被询问人",
    "witness": "见证人",
    "officer1": "执法人员（一）",
    "officer2": "执法人员（二）",
}
OFFICER_ROLES = ("officer1", "officer2")
#: what a refusal prints, by role (an officer cannot refuse to sign their own document)
REFUSAL_TEXTS = {"party": "当事人拒绝签名", "interviewee": "被询问人拒绝签名", "witness": "见证人拒绝签名"}
#: the blank line kept for a hand signature
BLANK = "＿＿＿＿＿＿＿＿"
#: printed width of a signature image (its height follows the image's proportions)
IMAGE_WIDTH_MM = 32

#: The signature block (签名栏) of each signable document kind: (label printed, role) in order.
SIGNATURE_BLOCKS: dict[str, list[tuple[str, str]]] = {
    "site_inspection_record": [("被检查人签名", "party"), ("见证人签名", "witness"),
                               ("执法人员签名", "officer1"), ("记录人签名", "officer2")],
    "interview_record": [("被询问人签名", "interviewee"), ("询问人签名", "officer1"), ("记录人签名", "officer2")],
    "statement_record": [("陈述申辩人签名", "party"), ("承办人员签名", "officer1"), ("记录人签名", "officer2")],
    "coercion_decision": [("当事人签名", "party"), ("见证人签名", "witness")],
    "coercion_inventory": [("当事人签名", "party"), ("执法人员签名", "officer1"), ("见证人签名", "witness")],
    "on_the_spot_decision": [("执法人员签名", "officer1"), ("当事人签名（捺印）", "party")],
    "service_receipt": [("受送达人签名（盖章）", "party"), ("见证人签名", "witness")],
}
SIGNABLE_KINDS = tuple(SIGNATURE_BLOCKS)

FIELDS: dict[str, str] = {
    "mark": "签名栏内容：有签名时为签名图片；拒绝签名时为“{refusal}”；未签名时为手写签名横线",
    "caption": "签名图片下方的说明：签名人、签名时间和签名图片SM3哈希前16位（未签名时为空）",
    "image": "签名图片（未签名时为空，可用 {{% if %}} 判断）",
    "name": "签名人姓名",
    "signed_at": "签名时间",
    "sm3": "签名图片的SM3哈希（64位十六进制，与案件记录中的哈希一致）",
    "sm3_short": "签名图片SM3哈希的前16位",
    "refused": "是否拒绝签名：是 / 空",
}


@dataclass(frozen=True)
class SignatureImage:
    """A signature's PNG bytes in a template context; rendered as an inline picture."""

    data: bytes
    width_mm: int = IMAGE_WIDTH_MM

    def __str__(self) -> str:  # never printed as text: the renderer replaces it
        return "［签名图片］"


def key_descriptions() -> dict[str, str]:
    """The documented keys of the ``signatures`` section (``signatures.party.mark`` …)."""
    keys = {}
    for role, label in ROLES.items():
        refusal = REFUSAL_TEXTS.get(role, BLANK)
        for field, text in FIELDS.items():
            keys[f"signatures.{role}.{field}"] = f"{label}的签名 — " + text.format(refusal=refusal)
    return keys


def caption(name: str, signed_at: str, sm3: str) -> str:
    """The line printed under a signature image."""
    return f"{name}　{signed_at}　SM3：{sm3[:16]}"


def blank_entry() -> dict:
    """A role nobody signed: the blank line."""
    return {"mark": BLANK, "caption": "", "image": "", "name": "", "signed_at": "", "sm3": "", "sm3_short": "",
            "refused": ""}


def signed_entry(*, image: bytes, name: str, signed_at: str, sm3: str) -> dict:
    """A role signed with ``image`` (PNG bytes) whose stored hash is ``sm3``."""
    picture = SignatureImage(image)
    return {"mark": picture, "caption": caption(name, signed_at, sm3), "image": picture, "name": name,
            "signed_at": signed_at, "sm3": sm3, "sm3_short": sm3[:16], "refused": ""}


def refused_entry(role: str, *, name: str, signed_at: str) -> dict:
    """A signer who refused to sign (拒绝签名): the refusal printed in the block."""
    text = REFUSAL_TEXTS.get(role, f"{ROLES[role]}拒绝签名")
    return {"mark": text, "caption": f"（{name}，{signed_at}，执法人员注明）" if name else "",
            "image": "", "name": name, "signed_at": signed_at, "sm3": "", "sm3_short": "", "refused": "是"}


def blank_section() -> dict:
    """The ``signatures`` section of a document nobody has signed."""
    return {role: blank_entry() for role in ROLES}


def embedded_hashes(section: dict) -> list[dict]:
    """What a rendered ``signatures`` section embeds, for the document's record event:
    ``[{"role", "sm3"}]`` of the signed roles and ``[{"role", "refused": True}]`` of refusals."""
    embedded = []
    for role, entry in (section or {}).items():
        if isinstance(entry, dict) and entry.get("sm3"):
            embedded.append({"role": role, "sm3": entry["sm3"]})
        elif isinstance(entry, dict) and entry.get("refused"):
            embedded.append({"role": role, "refused": True})
    return embedded


@functools.lru_cache(maxsize=1)
def sample_png() -> bytes:
    """A small handwriting-like PNG for the sample context and the demo (drawn with Pillow)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 110), "white")
    pen = ImageDraw.Draw(image)
    strokes = [
        [(20, 70), (40, 30), (55, 80), (70, 35), (85, 75)],
        [(100, 40), (110, 85), (130, 30), (150, 80)],
        [(165, 60), (200, 45), (230, 70), (260, 40), (280, 65)],
    ]
    for stroke in strokes:
        pen.line(stroke, fill="black", width=4, joint="curve")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def sample_section() -> dict:
    """The ``signatures`` section of the sample context: the party and the first officer signed,
    the witness refused, the others blank."""
    import hashlib

    png = sample_png()
    digest = hashlib.new("sm3", png).hexdigest()
    section = blank_section()
    section["party"] = signed_entry(image=png, name="李建国", signed_at="2026年9月12日10时32分", sm3=digest)
    section["officer1"] = signed_entry(image=png, name="王磊", signed_at="2026年9月12日10时35分", sm3=digest)
    section["witness"] = refused_entry("witness", name="张华", signed_at="2026年9月12日10时36分")
    return section
