"""One-time links for the party (送达链接): the rules.

The officer makes a link for one decision document of a case they can see (``create``); the
party opens ``/public/d/<token>/`` on their own phone — no sign-in — and downloads the PDF
(``open_link``). Only the SHA-256 of the random token is stored, so the link cannot be rebuilt
from the database: it is shown once, with its QR code (the portal's own generator,
``portal.services.qr_png``). A link expires ``LINK_HOURS`` (72) hours after it is made, gives
the PDF at most ``LINK_USES`` (3) times, and can be revoked; every download is a record access
(``records.log_access``, REC-4). The API and the web pages call these functions and nothing else.
"""

import base64
import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from zhifa.cases.documents import DECISION_CODES
from zhifa.cases.models import Case, CaseDocument
from zhifa.core import clock

from .models import LINK_HOURS, LINK_USES, DocumentLink

#: the decision documents a party may receive by a link (送达 by phone)
LINKABLE_CODES = DECISION_CODES


class LinkGone(Exception):
    """The link expired, was used up or revoked (HTTP 410); ``message`` says which, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class LinkNotReady(Exception):
    """The document's PDF is still being converted (HTTP 503, the use is not counted)."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def public_path(token: str) -> str:
    return reverse("mobile_public:document", args=[token])


def qr_data_uri(url: str) -> str:
    """The QR code of ``url`` as a ``data:`` PNG (the portal's generator; the CSP allows data: images)."""
    from zhifa.portal.services import qr_png

    return "data:image/png;base64," + base64.b64encode(qr_png(url, box_size=6)).decode()


def linkable_document(user, document_id) -> CaseDocument:
    """A decision document of a case the user may change (so: within their scope) with its PDF."""
    cases = Case.objects.restrict(user, "change").values("pk")
    document = (CaseDocument.objects.filter(case__in=cases, pk=document_id).select_related("case", "pdf").first())
    if document is None:
        raise PermissionDenied("文书不存在或不在您的管辖范围内。")
    if document.code not in LINKABLE_CODES:
        raise ValidationError({"document": "只有处罚决定书可以生成当事人下载链接。"})
    if document.pdf_id is None:
        raise ValidationError({"document": f"《{document.title}》的PDF尚未生成，请稍后再试。"})
    return document


@transaction.atomic
def create(document: CaseDocument, *, actor) -> tuple[DocumentLink, str]:
    """Make a link for ``document`` (fetched through ``linkable_document``); returns the link and
    its token — the only time the token exists outside the party's phone."""
    if not actor.has_capability("cases", "change"):
        raise PermissionDenied("没有办案权限，不能生成下载链接。")
    token = secrets.token_urlsafe(24)
    link = DocumentLink.objects.create(
        document=document, agency_id=document.case.agency_id, token_hash=token_hash(token), created_by=actor,
        expires_at=clock.now() + datetime.timedelta(hours=LINK_HOURS), max_uses=LINK_USES)
    return link, token


@transaction.atomic
def revoke(link: DocumentLink, *, actor) -> DocumentLink:
    """Revoke a link (fetched through ``restrict``); it then gives a 410 page."""
    link = DocumentLink.objects.restrict(actor, "change").select_for_update().get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by = clock.now(), actor
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def state_of(link: DocumentLink) -> str:
    """有效 / 已撤销 / 已过期 / 已用完 — as the case page shows it."""
    if link.revoked_at:
        return "已撤销"
    if link.expires_at <= clock.now():
        return "已过期"
    if link.uses >= link.max_uses:
        return "已用完"
    return "有效"


def links_of(user, document_ids):
    """Links of these documents the user may see, newest first."""
    return DocumentLink.objects.restrict(user, "view").filter(document_id__in=document_ids).order_by("-id")


@transaction.atomic
def open_link(token: str, request=None) -> DocumentLink:
    """The party downloads: count one use and log the access, or raise ``LinkGone``.

    The token is the party's only authority (no sign-in): the row is found by its hash alone."""
    from zhifa.records.services import log_access

    link = (DocumentLink.objects.select_for_update(of=("self",)).select_related("document__case", "document__pdf")
            .filter(token_hash=token_hash(token or "")).first())
    if link is None:
        raise LinkGone("链接无效：该下载链接不存在，请向执法人员索取新的链接。")
    if link.revoked_at:
        raise LinkGone("链接已撤销：执法人员已撤销该下载链接，请向执法人员索取新的链接。")
    if link.expires_at <= clock.now():
        raise LinkGone(f"链接已过期：下载链接自生成起{LINK_HOURS}小时内有效，请向执法人员索取新的链接。")
    if link.uses >= link.max_uses:
        raise LinkGone(f"链接已用完：每个下载链接最多可下载{link.max_uses}次，请向执法人员索取新的链接。")
    if link.document.pdf_id is None:  # converted by a job after the decision: not counted as a use
        raise LinkNotReady("决定书的PDF正在生成，请稍后再打开此链接。")
    DocumentLink.objects.filter(pk=link.pk).update(uses=F("uses") + 1)
    link.refresh_from_db(fields=["uses"])
    log_access(None, "download", link.document.case.stream_key, request=request)
    return link
