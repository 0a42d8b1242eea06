"""Masking of published decisions (公示信息遮蔽), applied automatically before a reviewer
sees the text and again whenever the text or the reviewer's redactions change.

What is hidden (政府信息公开条例第十五条; 市场监管行政处罚信息公示规定; 118号 §六):

- identity-document numbers (18-digit and 15-digit resident IDs; any 15–18 character
  number that passes no other test is treated as one) → ``*`` of the same length;
- mobile and landline phone numbers → ``*``;
- for a natural person or an individual business: the person's name (reduced to the
  surname, 张*), their home address and any detailed house number (…号…室) → ``***``;
- whatever the reviewer lists as trade secrets or information the law forbids publishing
  → ``***``.

- other natural persons the case names (people interviewed, the person served) → 张*.

Every published text is masked — the title (事项名称, usually the 案由, which officers often
write with the party's name in it), the facts, the legal basis and the decision's content — and
``mask_publication`` returns a report of every replacement in every field, which the reviewer
sees beside the original before releasing. The portal, the page ``<title>`` and open data only
ever read the ``public_*`` fields.
"""

import re
from dataclasses import dataclass, field

from zhifa.parties.masking import mask_name
from zhifa.parties.models import Party

HIDDEN = "***"

# 18-digit (last may be X) and 15-digit resident ID numbers, not inside a longer token.
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# Mobile numbers (1[3-9]…), optionally written +86 / 86 / with spaces or dashes in 3-4-4 groups.
MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
# Landlines with an area code: 029-88886666, (029)88886666, 0298888666.
LANDLINE_RE = re.compile(r"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3}[ -]?)\d{7,8}(?!\d)")
# Detailed house numbers of a home address: 12号楼3单元502室, 8栋1202, 5号院.
# At least one unit that only addresses use (号楼, 栋, 单元, 室 …), never "第…号" of a document.
HOUSE_NUMBER_RE = re.compile(
    r"(?<![第0-9])(?:[0-9]+号)?(?:[0-9一二三四五六七八九十]+(?:号楼|号院|栋|幢|单元|层|室)[-－]?){1,4}(?:[0-9]+(?:室|号)?)?"
)

KIND_LABELS = {
    "id_number": "证件号码",
    "phone": "电话号码",
    "name": "自然人姓名",
    "address": "住址",
    "house_number": "门牌号",
    "redaction": "审核人指定遮蔽",
}


@dataclass
class Replacement:
    field: str
    kind: str
    original: str
    replacement: str

    def as_dict(self) -> dict:
        from_field = FIELD_LABELS.get(self.field, self.field)
        return {"field": self.field, "field_label": from_field, "kind": self.kind, "label": KIND_LABELS[self.kind],
                "original": self.original, "replacement": self.replacement}


@dataclass
class MaskedText:
    text: str
    replacements: list[Replacement] = field(default_factory=list)


def _stars(value: str) -> str:
    return "*" * len(value)


class Masker:
    """Masks texts about one party; ``personal`` when the party is a person (自然人 or the
    operator of an 个体工商户) whose name and address are private."""

    def __init__(self, *, party_kind: str, party_name: str = "", id_number: str = "", phone: str = "",
                 address: str = "", operator_name: str = "", redactions=()):
        self.personal_party = party_kind == Party.NATURAL
        self.personal_operator = party_kind == Party.INDIVIDUAL_BUSINESS
        self.names = []
        if self.personal_party and party_name:
            self.names.append(party_name.strip())
        if operator_name and (self.personal_operator or self.personal_party):
            self.names.append(operator_name.strip())
        self.address = address.strip() if (self.personal_party or self.personal_operator) else ""
        self.literals = [v.strip() for v in (id_number, phone) if v and v.strip()]
        self.redactions = sorted({r.strip() for r in redactions if r and r.strip()}, key=len, reverse=True)

    def party_name(self, name: str) -> str:
        """The party's name as published: a natural person's reduced to the surname."""
        return mask_name(name) if self.personal_party else name

    def mask(self, field_name: str, text: str) -> MaskedText:
        result = MaskedText(text or "")

        def replace_literal(value, kind, replacement):
            if value and value in result.text:
                result.text = result.text.replace(value, replacement)
                result.replacements.append(Replacement(field_name, kind, value, replacement))

        def replace_pattern(pattern, kind, make):
            def substitute(match):
                original = match.group(0)
                replacement = make(original)
                if replacement != original:
                    result.replacements.append(Replacement(field_name, kind, original, replacement))
                return replacement

            result.text = pattern.sub(substitute, result.text)

        # The reviewer's redactions first: they may contain names or numbers themselves.
        for value in self.redactions:
            replace_literal(value, "redaction", HIDDEN)
        for value in self.literals:
            replace_literal(value, "id_number" if len(value) >= 15 else "phone", _stars(value))
        if self.address:
            replace_literal(self.address, "address", HIDDEN)
        replace_pattern(ID_NUMBER_RE, "id_number", _stars)
        replace_pattern(MOBILE_RE, "phone", lambda v: re.sub(r"\d", "*", v))
        replace_pattern(LANDLINE_RE, "phone", lambda v: re.sub(r"\d", "*", v))
        if self.personal_party or self.personal_operator:
            replace_pattern(HOUSE_NUMBER_RE, "house_number", lambda v: HIDDEN)
        for name in sorted(self.names, key=len, reverse=True):
            replace_literal(name, "name", mask_name(name))
        return result


def case_person_names(case) -> list[str]:
    """Natural persons named in a case other than the party: the people interviewed, the
    person served and a hearing representative; never the officers (public officials)."""
    if case is None:
        return []
    officers = set(case.assignments.values_list("officer__name", flat=True))
    names = list(case.interviews.values_list("interviewee", flat=True))
    if case.service_recipient:
        names.append(case.service_recipient)
    party = case.party
    public_names = {party.name} if party.kind not in (Party.NATURAL, Party.INDIVIDUAL_BUSINESS) else set()
    return [n.strip() for n in names if n and 2 <= len(n.strip()) <= 5 and n.strip() not in officers | public_names]


def masker_for(publication) -> Masker:
    """The masker for a publication, from its party record (and its case) where there is one."""
    party = publication.party
    masker = Masker(
        party_kind=publication.party_kind,
        party_name=publication.party_name,
        id_number=getattr(party, "id_number", "") or "",
        phone=getattr(party, "phone", "") or "",
        address=getattr(party, "address", "") or "",
        operator_name=getattr(party, "legal_representative", "") or "",
        redactions=publication.redactions or (),
    )
    for name in case_person_names(publication.case if publication.case_id else None):
        if name not in masker.names:
            masker.names.append(name)
    return masker


# Every published text field: (internal field, public field, label shown to the reviewer).
MASKED_FIELDS = (
    ("title", "public_title", "事项名称"),
    ("facts", "public_facts", "主要事实"),
    ("legal_basis", "public_legal_basis", "依据"),
    ("result", "public_result", "决定内容"),
)
FIELD_LABELS = {"party_name": "相对人", **{source: label for source, _, label in MASKED_FIELDS}}


def mask_publication(publication) -> list[dict]:
    """Fill the public fields of ``publication`` from the internal ones; returns the report."""
    masker = masker_for(publication)
    report = []
    name = masker.mask("party_name", masker.party_name(publication.party_name))
    publication.public_party_name = name.text
    report += [r.as_dict() for r in name.replacements]
    if masker.personal_party and publication.party_name:
        report.insert(0, Replacement("party_name", "name", publication.party_name, name.text).as_dict())
    for source, target, _label in MASKED_FIELDS:
        masked = masker.mask(source, getattr(publication, source))
        setattr(publication, target, masked.text)
        report += [r.as_dict() for r in masked.replacements]
    publication.masking_report = report
    return report
