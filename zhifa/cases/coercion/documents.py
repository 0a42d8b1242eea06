"""The documents of 行政强制, rendered through the documents app like every case document: the
case's context (``cases.documents.build_context``) plus a ``measure`` or ``enforcement``
section (keys described in ``zhifa.documents.context.KEY_DESCRIPTIONS``)."""

from django.db import transaction
from django.utils import timezone

from zhifa.core import clock, numbers
from zhifa.documents.formatting import amount_in_chinese_upper, format_date, format_datetime
from zhifa.documents.services import render_documents
from zhifa.records.services import store_file

from . import rules
from .models import END_CHOICES, RELEASE_REASON_CHOICES, SHORT_NAMES

#: Each document kind's own number series (文号), e.g. "县市场监管局强决〔2026〕3号"; the list
#: (清单) carries the number of the decision it belongs to.
NUMBER_MARKS = {
    "coercion_decision": "强决",
    "coercion_extension_notice": "强延",
    "coercion_testing_notice": "强检告",
    "coercion_release": "强解",
    "coercion_disposal": "强处",
    "enforcement_reminder": "催",
    "enforcement_decision": "强执",
    "enforcement_court_application": "强申",
}


def _d(value):
    return format_date(value) if value else ""


def _money(value):
    return numbers.format_amount(value)


def _chinese_days(n: int) -> str:
    from zhifa.documents.formatting import chinese_numeral

    return f"{chinese_numeral(n)}日"


def measure_context(measure) -> dict:
    """The ``measure`` section of a document's context."""
    short = SHORT_NAMES.get(measure.kind, measure.get_kind_display())
    testings = list(measure.testings.all())
    last = testings[-1] if testings else None
    started = timezone.localtime(measure.started_at) if measure.started_at else None
    days = rules.MEASURE_DAYS
    return {
        "kind": measure.get_kind_display(), "short": short,
        "reasons": measure.reasons, "basis": measure.basis, "place": measure.place,
        "started_at": format_datetime(started) if started else "",
        "started_on": _d(started.date()) if started else "",
        "period": f"{_chinese_days(days)}（自{_d(started.date()) if started else '实施之日'}起算），"
                  f"至{_d(measure.expires_on)}届满" if measure.expires_on else _chinese_days(days),
        "expires_on": _d(measure.expires_on),
        "decision_number": measure.decision_number,
        "inventory": [{"no": str(i), "name": r.get("name", ""), "spec": r.get("spec", ""), "quantity": r.get("quantity", ""),
                   "unit": r.get("unit", ""), "note": r.get("note", "")}
                  for i, r in enumerate(measure.inventory or [], start=1)],
        "officers": [{"name": o.name} for o in measure.officers.all()],
        "approved_by": measure.approved_by, "approval_opinion": measure.approval_opinion,
        "extension_days": _chinese_days(measure.extension_days) if measure.extension_days else "",
        "extension_reasons": measure.extension_reasons,
        "testing_kind": last.get_kind_display() if last else "", "testing_institution": last.institution if last else "",
        "testing_started_on": _d(last.started_on) if last else "", "testing_ended_on": _d(last.ended_on) if last else "",
        "end_kind": dict(END_CHOICES).get(measure.end_kind, ""),
        "end_reason": dict(RELEASE_REASON_CHOICES).get(measure.end_reason, ""),
        "end_note": measure.end_note, "transferred_to": measure.transferred_to,
        "ended_on": _d(measure.ended_on),
    }


def enforcement_context(enforcement) -> dict:
    """The ``enforcement`` section of a document's context."""
    total = enforcement.principal + enforcement.surcharge
    return {
        "obligation": enforcement.obligation,
        "principal": _money(enforcement.principal), "principal_upper": amount_in_chinese_upper(enforcement.principal)
        if enforcement.principal else "",
        "surcharge": _money(enforcement.surcharge),
        "surcharge_upper": amount_in_chinese_upper(enforcement.surcharge) if enforcement.surcharge else "",
        "total": _money(total), "total_upper": amount_in_chinese_upper(total) if total else "",
        "reminder_number": enforcement.reminder_number, "served_on": _d(enforcement.reminder_served_on),
        "due_on": _d(enforcement.compliance_due_on),
        "statement": enforcement.statement, "statement_review": enforcement.statement_review,
        "statement_accepted": {True: "采纳", False: "不予采纳", None: ""}[enforcement.statement_accepted],
        "means": enforcement.means, "court": enforcement.court,
        "remedy_lapse": _d(rules.remedy_lapse(enforcement.case.served_on)) if enforcement.case.served_on else "",
    }


def _number(case, code, measure, enforcement) -> str:
    from ..services.common import _next_number, _prefix

    if code == "coercion_inventory":
        return measure.decision_number if measure else ""
    if code == "enforcement_decision" and enforcement.decision_number:
        return enforcement.decision_number
    mark = NUMBER_MARKS[code]
    year = clock.today().year
    return f"{_prefix(case.agency)}{mark}〔{year}〕{_next_number(case.agency, 'doc:' + mark, year)}号"


@transaction.atomic
def generate_coercion_documents(case, codes, *, actor, measure=None, enforcement=None):
    """Render ``codes`` for a measure or an enforcement of ``case`` (one LibreOffice run), store
    them content-addressed and file them on the case (its documents and case file)."""
    from ..documents import build_context
    from ..models import CaseDocument

    numbers = {}
    for code in codes:  # the decision first: its list carries its number
        numbers[code] = _number(case, code, measure, enforcement) if code != "coercion_inventory" else None
    if "coercion_inventory" in codes:
        numbers["coercion_inventory"] = numbers.get("coercion_decision") or (measure.decision_number if measure else "")
    items = []
    for code in codes:
        context = build_context(case, code, numbers[code])
        if measure is not None:
            if code == "coercion_decision":
                measure.decision_number = numbers[code]
            context["measure"] = measure_context(measure)
        if enforcement is not None:
            context["enforcement"] = enforcement_context(enforcement)
        items.append((code, context))
    documents = []
    for code, rendered in zip(codes, render_documents(items, agency=case.agency), strict=True):
        stem = f"{case.number or case.pk}-{rendered.title}"
        docx = store_file(_bytes_io(rendered.docx), f"{stem}.docx",
                          "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        pdf = store_file(_bytes_io(rendered.pdf), f"{stem}.pdf", "application/pdf")
        documents.append(CaseDocument.objects.create(
            case=case, code=code, title=rendered.title, number=numbers[code] or "", docx=docx, pdf=pdf,
            template_version=getattr(rendered.template, "version", 0) or 0, generated_by=actor,
        ))
    return documents


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)
