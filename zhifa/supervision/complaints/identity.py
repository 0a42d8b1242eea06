"""Protection of the complainant (投诉举报人保护): who may read the identity, and the log of every reading.

The identity (name, phone, identity number, address) is in ``Complainant``, encrypted at rest.
Only the handling chain reads it:

- the handlers assigned to the complaint (承办人) in the handling agency — unless that agency is
  the one complained about (then nobody there does);
- the supervisors (执法监督人员) of the complaint's region and the regions above it.

Everybody else — the reported agency, other staff of the handling agency, other counties, the
portal, the hotline's status push, lists, the API and exports — sees 「匿名/已隐藏」. Every reading
writes an access-log row (``records.AccessLog``, read by the audit administrator).
"""

from django.core.exceptions import PermissionDenied

from zhifa.accounts import roles
from zhifa.records.services import log_access

HIDDEN = "匿名/已隐藏"
ANONYMOUS = "匿名"


def may_see_identity(user, complaint) -> bool:
    """Whether ``user`` is in the complaint's handling chain."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not user.has_capability("complaints", "view"):
        return False
    if user.role == roles.SUPERVISOR:
        path = user.scope_path
        return bool(path) and complaint.region.path.startswith(path)
    if complaint.agency_id is None or complaint.agency_id == complaint.reported_agency_id:
        return False
    if user.agency_id is not None and user.agency_id == complaint.reported_agency_id:
        return False
    return complaint.handlers.filter(pk=user.pk).exists()


def identity_label(user, complaint) -> str:
    """What a page shows in place of the identity: 匿名, 匿名/已隐藏, or an invitation to open it."""
    if complaint.anonymous:
        return ANONYMOUS
    if may_see_identity(user, complaint):
        return "（承办链条内可查看，查看将记入访问日志）"
    return HIDDEN


def read_identity(user, complaint, request=None) -> dict:
    """The complainant's identity for ``user`` in the handling chain; logged. Anonymous
    complaints have none; anybody else is refused."""
    if not may_see_identity(user, complaint):
        raise PermissionDenied("您不在该投诉举报的承办链条内，不能查看投诉举报人信息。")
    if complaint.anonymous:
        return {"anonymous": True, "name": ANONYMOUS, "phone": "", "id_number": "", "address": ""}
    person = getattr(complaint, "complainant", None)
    log_access(user, "view", person if person is not None else complaint, request, stream_key=complaint.stream_key)
    if person is None:
        return {"anonymous": False, "name": "", "phone": "", "id_number": "", "address": ""}
    return {"anonymous": False, "name": person.name, "phone": person.phone, "id_number": person.id_number,
            "address": person.address}
