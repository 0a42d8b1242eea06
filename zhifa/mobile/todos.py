"""The to-do provider of 掌上执法: the officer's own captures in conflict (冲突采集件待处理)."""

from django.urls import reverse

from zhifa.workspace.todos import LIMIT, TodoItem, register_provider


def captures_in_conflict(user):
    """Captures that could not be attached because the case moved on while the phone was
    offline; one query through ``restrict`` (index ``mobile_capture_owner_state``)."""
    from . import services

    for capture in services.conflicts_for(user)[:LIMIT]:
        case = capture.case  # none for an on-the-spot decision the server refused (no case was created)
        what = (case.number or case.cause) if case else f"预编号{capture.data.get('number_text', '')}（未立案）"
        yield TodoItem(kind="mobile_conflict", title=f"{capture.get_kind_display()}：{what}",
                       url=reverse("mobile:resolve", args=[capture.key]), key=f"mobile_conflict:{capture.key}",
                       subject=f"case:{capture.case_id}" if case else f"capture:{capture.key}",
                       detail=capture.conflict_reason[:120], agency_id=capture.agency_id,
                       unit_id=case.unit_id if case else None)


register_provider("mobile_conflict", "离线采集冲突", captures_in_conflict, area="cases", list_url="mobile:conflicts")
