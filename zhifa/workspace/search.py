"""Global search (全局检索): one box in the header finds a case by its number (or cause/party in its
search column), a party by name or unified social credit code, an officer by certificate number —
every query through ``restrict``, each answered from an index and capped.

Indexes used (``docs/workspace.md``): ``cases_case.number`` (btree, exact number) and
``cases_case_search_trgm`` (pg_trgm, fragments of number/cause/party); ``parties_party.credit_code``
(exact) and ``workspace_party_name_prefix`` (name prefix, PostgreSQL); ``people_certificate.number``
(unique, exact) and ``workspace_certificate_prefix`` (number prefix, PostgreSQL).
"""

from dataclasses import dataclass, field

CAP = 10  # rows per group
MIN_FRAGMENT = 2  # shorter queries only match exactly


@dataclass
class SearchResults:
    """Matches grouped by kind; ``more`` when a group hit its cap."""

    query: str
    groups: list[dict] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(g["rows"]) for g in self.groups)


def _group(label, kind, rows, link_all=""):
    return {"label": label, "kind": kind, "rows": rows[:CAP], "more": len(rows) > CAP, "link_all": link_all}


def search(user, query: str) -> SearchResults:
    """Everything matching ``query`` within the user's reach (an empty result for an empty query)."""
    from urllib.parse import quote

    from django.urls import reverse

    q = (query or "").strip()[:100]
    results = SearchResults(query=q)
    if not q:
        return results
    if user.has_capability("cases", "view"):
        rows = _cases(user, q)
        results.groups.append(_group("案件", "case", rows, reverse("cases:case_list") + f"?q={quote(q)}"))
    if user.has_capability("parties", "view"):
        results.groups.append(_group("当事人", "party", _parties(user, q), reverse("parties:party_list") + f"?q={quote(q)}"))
    if user.has_capability("people", "view"):
        results.groups.append(_group("执法人员（证号）", "officer", _certificates(user, q)))
    return results


def _cases(user, q):
    from zhifa.cases.models import Case

    cases = Case.objects.restrict(user, "view").select_related("party").only(
        "pk", "number", "cause", "stage", "procedure", "party__name", "registered_on")
    exact = list(cases.filter(number=q)[: CAP + 1])
    rows = exact
    if len(q) >= MIN_FRAGMENT and len(rows) <= CAP:
        seen = {c.pk for c in rows}
        more = cases.filter(search_text__contains=q.lower()).order_by("-registered_on", "-id")[: CAP + 1]
        rows += [c for c in more if c.pk not in seen]
    return [{"title": f"{c.number or '（未立案）'} {c.cause}", "detail": f"{c.party.name} · {c.stage_name}",
             "url": c.get_absolute_url()} for c in rows[: CAP + 1]]


def _parties(user, q):
    from zhifa.parties.models import Party

    parties = Party.objects.restrict(user, "view").only("pk", "name", "credit_code", "kind")
    rows = list(parties.filter(credit_code=q.upper())[: CAP + 1]) if len(q) == 18 else []
    if len(rows) <= CAP:
        seen = {p.pk for p in rows}
        rows += [p for p in parties.filter(name__startswith=q).order_by("name", "id")[: CAP + 1] if p.pk not in seen]
    return [{"title": p.name, "detail": p.credit_code or p.get_kind_display(), "url": p.get_absolute_url()}
            for p in rows[: CAP + 1]]


def _certificates(user, q):
    from zhifa.people.models import Certificate

    certs = Certificate.objects.restrict(user, "view").select_related("officer", "officer__home_agency")
    rows = list(certs.filter(number=q)[: CAP + 1])
    if len(q) >= MIN_FRAGMENT and len(rows) <= CAP:
        seen = {c.pk for c in rows}
        rows += [c for c in certs.filter(number__startswith=q).order_by("number")[: CAP + 1] if c.pk not in seen]
    return [{"title": f"{c.officer.name}（证号 {c.number}）",
             "detail": f"{c.officer.home_agency.name} · {c.get_status_display()}", "url": c.officer.get_absolute_url()}
            for c in rows[: CAP + 1]]
