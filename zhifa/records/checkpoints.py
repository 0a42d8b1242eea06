"""Signed checkpoints (签名检查点): anchoring every hash chain outside the database.

Whoever can write the database can rewrite an event and recompute every later hash; the
chain alone then still verifies. A checkpoint fixes the heads of all streams (case records
and the audit trail ``audit:changelog``) at one moment:

- leaves: ``H(0x00 || canonical_json([key, seq, hash]))`` for every stream ever anchored,
  sorted by key; the Merkle tree is RFC 6962's (``H(0x01 || left || right)``, split at the
  largest power of two), ``H`` the configured hash (SM3 by default);
- the signed text is ``canonical_json`` of ``{type, version, issuer, number, created,
  hash_algorithm, stream_count, root, previous_root}`` (UTF-8), signed with SM2
  (GB/T 32918.2, signer ID ``1234567812345678`` per GB/T 35276) by ``gmalg``; the signature
  is ``r || s`` in hex, the public key the uncompressed point ``04 || x || y`` in hex;
- the private key is a file outside the database (``ZHIFA_CHECKPOINT_KEY_FILE``, created on
  first use with mode 0600); the verifier trusts the public key derived from it or the one
  configured in ``ZHIFA_CHECKPOINT_PUBLIC_KEY`` (when the key lives on another machine) —
  never a key read from the database;
- every checkpoint is published on the portal (``/public/checkpoints/``, open data at
  ``/api/public/checkpoints/``) and POSTed, with all heads, to the supervising level
  (``ZHIFA_CHECKPOINT_PUSH_URL``); a failed delivery stays ``failed`` and is retried by the
  next run of ``zhifa checkpoint`` (or ``zhifa checkpoint --retry``).
"""

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import gmalg
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import services
from .models import Checkpoint, CheckpointHead, CheckpointPush, Event, Stream

SIGNATURE_ALGORITHM = "SM2"
SIGNER_ID = b"1234567812345678"  # GB/T 35276 default user ID for SM2 signatures
DOCUMENT_TYPE = "zhifa-checkpoint"


class CheckpointKeyError(Exception):
    """The signing key is missing or unreadable (message in Chinese)."""


# ---------------------------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------------------------


def key_file() -> Path:
    return Path(settings.ZHIFA_CHECKPOINT_KEY_FILE)


def _read_private_key(create: bool) -> bytes | None:
    path = key_file()
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        private, _public = gmalg.SM2().generate_keypair()
        private = private.rjust(32, b"\0")  # minimal bytes from gmalg: the key is always 32 bytes
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(private.hex() + "\n")
        return private
    try:
        private = bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError) as exc:
        raise CheckpointKeyError(f"无法读取检查点签名私钥 {path}：{exc}") from None
    if len(private) != 32:
        raise CheckpointKeyError(f"检查点签名私钥 {path} 格式无效（应为 64 位十六进制数）。")
    return private


def public_key_hex(private: bytes) -> str:
    return gmalg.SM2().generate_pk(private).hex()


def trusted_public_key() -> str:
    """The public key checkpoints must be signed with: ``ZHIFA_CHECKPOINT_PUBLIC_KEY`` if
    set, else derived from the private key file; "" when neither exists."""
    configured = (getattr(settings, "ZHIFA_CHECKPOINT_PUBLIC_KEY", "") or "").strip().lower()
    if configured:
        return configured
    private = _read_private_key(create=False)
    return public_key_hex(private) if private else ""


def sign(text: bytes) -> tuple[str, str]:
    """``(public key hex, signature hex)`` of ``text`` with the checkpoint key (created on first use)."""
    private = _read_private_key(create=True)
    public = gmalg.SM2().generate_pk(private)
    r, s = gmalg.SM2(sk=private, uid=SIGNER_ID, pk=public).sign(text)
    # gmalg gives r and s as minimal big-endian bytes (31 bytes about once in 128 signatures):
    # the signature is their fixed-width 32 + 32 bytes (GB/T 35276), or verification would split it wrongly.
    return public.hex(), (r.rjust(32, b"\0") + s.rjust(32, b"\0")).hex()


def signature_valid(text: bytes, signature_hex: str, public_key: str) -> bool:
    try:
        signature, public = bytes.fromhex(signature_hex), bytes.fromhex(public_key)
    except ValueError:
        return False
    if len(signature) != 64:
        return False
    try:
        return bool(gmalg.SM2(pk=public, uid=SIGNER_ID).verify(text, signature[:32], signature[32:]))
    except Exception:  # noqa: BLE001  (a malformed point or signature is simply invalid)
        return False


# ---------------------------------------------------------------------------------------------
# Merkle tree (RFC 6962 shape)
# ---------------------------------------------------------------------------------------------


def leaf_hash(key: str, seq: int, digest: str, algorithm: str) -> bytes:
    hasher = services.new_hasher(algorithm)
    hasher.update(b"\x00")
    hasher.update(services.canonical_json([key, seq, digest]))
    return hasher.digest()


def merkle_root(heads: list[tuple[str, int, str]], algorithm: str) -> str:
    """Root over ``(key, seq, hash)`` heads (sorted by key here); ``H("")`` for none."""
    nodes = [leaf_hash(k, s, h, algorithm) for k, s, h in sorted(heads)]
    if not nodes:
        return services.new_hasher(algorithm).hexdigest()

    def tree(items: list[bytes]) -> bytes:
        if len(items) == 1:
            return items[0]
        split = 1 << ((len(items) - 1).bit_length() - 1)
        hasher = services.new_hasher(algorithm)
        hasher.update(b"\x01")
        hasher.update(tree(items[:split]))
        hasher.update(tree(items[split:]))
        return hasher.digest()

    return tree(nodes).hex()


# ---------------------------------------------------------------------------------------------
# Creating, publishing and pushing
# ---------------------------------------------------------------------------------------------


def signed_fields(checkpoint: Checkpoint) -> dict:
    return {
        "type": DOCUMENT_TYPE,
        "version": 1,
        "issuer": checkpoint.issuer,
        "number": checkpoint.number,
        "created": services._iso_time(checkpoint.created),
        "hash_algorithm": checkpoint.hash_algorithm,
        "stream_count": checkpoint.stream_count,
        "root": checkpoint.root,
        "previous_root": checkpoint.previous_root,
    }


def signed_text(checkpoint: Checkpoint) -> bytes:
    return services.canonical_json(signed_fields(checkpoint))


def heads_at(number: int) -> dict[str, tuple[int, str]]:
    """Every stream's head as signed in checkpoint ``number`` (latest stored head up to it)."""
    heads: dict[str, tuple[int, str]] = {}
    rows = (CheckpointHead.objects.filter(checkpoint__number__lte=number).order_by("checkpoint__number")
            .values_list("stream_key", "seq", "hash"))
    for key, seq, digest in rows.iterator(chunk_size=5000):
        heads[key] = (seq, digest)
    return heads


def document(checkpoint: Checkpoint, *, with_heads: bool = False) -> dict:
    """The signed checkpoint as JSON: what the portal publishes and (with heads) what is pushed."""
    data = signed_fields(checkpoint)
    data.update(
        signed_text=signed_text(checkpoint).decode("utf-8"),
        signature_algorithm=checkpoint.signature_algorithm,
        signer_id=SIGNER_ID.decode("ascii"),
        public_key=checkpoint.public_key,
        signature=checkpoint.signature,
    )
    if with_heads:
        data["heads"] = [[k, s, h] for k, (s, h) in sorted(heads_at(checkpoint.number).items())]
    return data


def create_checkpoint() -> Checkpoint:
    """Sign the current head of every stream as the next checkpoint (run daily)."""
    algorithm = services.configured_algorithm()
    issuer = str(getattr(settings, "ZHIFA_CHECKPOINT_ISSUER", "") or "zhifa")[:100]
    with transaction.atomic():
        # The audit chain's head row serialises checkpoint creation with every audit write.
        services.lock_stream("audit:changelog", algorithm)
        previous = Checkpoint.objects.select_for_update().order_by("-number").first()
        anchored = heads_at(previous.number) if previous else {}
        current = {k: (s, h) for k, s, h in Stream.objects.filter(head_seq__gt=0).values_list("key", "head_seq",
                                                                                              "head_hash")}
        moved = {k: v for k, v in current.items() if anchored.get(k) != v}
        heads = {**anchored, **moved}
        checkpoint = Checkpoint(
            number=(previous.number + 1) if previous else 1,
            created=timezone.now().replace(microsecond=0),
            issuer=issuer,
            hash_algorithm=algorithm,
            stream_count=len(heads),
            root=merkle_root([(k, s, h) for k, (s, h) in heads.items()], algorithm),
            previous_root=previous.root if previous else "",
            signature_algorithm=SIGNATURE_ALGORITHM,
        )
        checkpoint.public_key, checkpoint.signature = sign(signed_text(checkpoint))
        checkpoint.save(force_insert=True)
        CheckpointHead.objects.bulk_create(
            [CheckpointHead(checkpoint=checkpoint, stream_key=k, seq=s, hash=h) for k, (s, h) in sorted(moved.items())],
            batch_size=2000,
        )
    return checkpoint


def push_url() -> str:
    return (getattr(settings, "ZHIFA_CHECKPOINT_PUSH_URL", "") or "").strip()


def push(checkpoint: Checkpoint, url: str | None = None) -> CheckpointPush | None:
    """POST the signed checkpoint (with all heads) to the supervising level; the result is
    kept in a ``CheckpointPush`` row (``failed`` ones are retried by ``retry_pushes``)."""
    url = url or push_url()
    if not url:
        return None
    record, _ = CheckpointPush.objects.get_or_create(checkpoint=checkpoint, url=url[:500])
    if record.status == "sent":
        return record
    body = json.dumps(document(checkpoint, with_heads=True), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    timeout = float(getattr(settings, "ZHIFA_CHECKPOINT_PUSH_TIMEOUT", 10))
    record.attempts += 1
    record.last_attempt = timezone.now()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  (configured URL)
            record.response_status = response.status
        record.status, record.error, record.sent_at = "sent", "", timezone.now()
    except urllib.error.HTTPError as exc:
        record.status, record.response_status = "failed", exc.code
        record.error = f"上级平台拒绝接收：HTTP {exc.code}"[:500]
    except (urllib.error.URLError, OSError, ValueError) as exc:
        record.status, record.response_status = "failed", None
        record.error = f"无法连接上级平台：{getattr(exc, 'reason', exc)}"[:500]
    record.save()
    return record


def retry_pushes() -> list[CheckpointPush]:
    """Send again every delivery not yet accepted, oldest first."""
    return [push(record.checkpoint, record.url)
            for record in CheckpointPush.objects.exclude(status="sent").select_related("checkpoint")
            .order_by("checkpoint__number", "id")]


# ---------------------------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------------------------


@dataclass
class CheckpointCheck:
    """Outcome of checking a checkpoint: its signature and root, then the streams."""

    number: int | None = None
    created: str = ""
    signature_ok: bool = False
    root_ok: bool = False
    stream_count: int = 0
    changed_streams: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.signature_ok and self.root_ok and not self.changed_streams and not self.problems

    @property
    def message(self) -> str:
        if self.number is None:
            return "尚未生成签名检查点。"
        if self.ok:
            return (f"第 {self.number} 号检查点签名有效，{self.stream_count} 个记录流与签名时一致"
                    "（此后新增的记录不受影响）。")
        return f"第 {self.number} 号检查点校验未通过：" + "；".join(self.problems[:5])

    def as_dict(self) -> dict:
        return {"number": self.number, "created": self.created, "ok": self.ok, "signature_ok": self.signature_ok,
                "root_ok": self.root_ok, "stream_count": self.stream_count, "changed_streams": self.changed_streams,
                "problems": self.problems, "message": self.message}


def load_document(path: str | os.PathLike) -> dict:
    """A checkpoint document saved from the portal or the supervising level (JSON with heads)."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or data.get("type") != DOCUMENT_TYPE or not isinstance(data.get("heads"), list):
        raise ValueError("不是带记录流头部的检查点文件。")
    return data


def check_signature(doc: dict, result: CheckpointCheck, heads: dict[str, tuple[int, str]]) -> None:
    """Check the signature (with the trusted key) and the root over ``heads``."""
    result.number, result.created = doc.get("number"), doc.get("created", "")
    result.stream_count = len(heads)
    trusted = trusted_public_key()
    fields = {k: doc.get(k) for k in ("type", "version", "issuer", "number", "created", "hash_algorithm",
                                      "stream_count", "root", "previous_root")}
    text = services.canonical_json(fields)
    if not trusted:
        result.problems.append("没有可信的检查点公钥（ZHIFA_CHECKPOINT_KEY_FILE 或 ZHIFA_CHECKPOINT_PUBLIC_KEY），无法验证签名")
    elif str(doc.get("public_key", "")).lower() != trusted:
        result.problems.append("检查点不是用本平台的签名密钥签署的")
    elif not signature_valid(text, str(doc.get("signature", "")), trusted):
        result.problems.append("检查点签名无效（检查点内容被改动）")
    else:
        result.signature_ok = True
    algorithm = doc.get("hash_algorithm") or "sm3"
    root = merkle_root([(k, s, h) for k, (s, h) in heads.items()], algorithm) if algorithm in services.ALGORITHMS else ""
    if root != doc.get("root") or len(heads) != doc.get("stream_count"):
        result.problems.append("检查点登记的记录流头部与签名的默克尔根不符（头部被改动）")
    else:
        result.root_ok = True


def latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-number").first()


def anchors(doc: dict, heads: dict[str, tuple[int, str]]) -> dict[str, tuple[int, int, str]]:
    """``{key: (checkpoint number, seq, hash)}`` for ``verify_stream(anchor=…)``."""
    return {k: (doc["number"], s, h) for k, (s, h) in heads.items()}


def check_heads(doc: dict, heads: dict[str, tuple[int, str]], result: CheckpointCheck) -> None:
    """Whether the link at each signed ``seq`` still carries the signed hash (a quick check:
    ``zhifa verify --all`` also recomputes every chain)."""
    from zhifa.core.models import ChangeLog

    from .audit_chain import AUDIT_STREAM

    found: dict[tuple[str, int], str] = {}
    pairs = [(k, s) for k, (s, _h) in heads.items() if k != AUDIT_STREAM]
    for start in range(0, len(pairs), 300):
        condition = Q()
        for key, seq in pairs[start:start + 300]:
            condition |= Q(stream__key=key, seq=seq)
        for key, seq, digest in Event.objects.filter(condition).values_list("stream__key", "seq", "hash"):
            found[(key, seq)] = digest
    if AUDIT_STREAM in heads:
        seq = heads[AUDIT_STREAM][0]
        digest = ChangeLog.objects.filter(seq=seq).values_list("hash", flat=True).first()
        if digest is not None:
            found[(AUDIT_STREAM, seq)] = digest
    for key, (seq, digest) in sorted(heads.items()):
        if found.get((key, seq)) != digest:
            result.changed_streams.append(key)
            result.problems.append(f"记录流 {key} 自第 {doc['number']} 号检查点以来被改动（第{seq}条记录的哈希与签名时不符）")


def verify_checkpoint(checkpoint: Checkpoint | None = None, *, doc: dict | None = None,
                      streams: bool = True) -> CheckpointCheck:
    """Check the latest checkpoint (or ``checkpoint``, or an external ``doc`` with heads):
    signature with the trusted key, root over the stored heads, and — with ``streams`` —
    every stream's link at the signed position."""
    result = CheckpointCheck()
    if doc is None:
        checkpoint = checkpoint or latest()
        if checkpoint is None:
            return result
        doc = document(checkpoint)
        heads = heads_at(checkpoint.number)
    else:
        heads = {str(k): (int(s), str(h)) for k, s, h in doc["heads"]}
    check_signature(doc, result, heads)
    if streams:
        check_heads(doc, heads, result)
    return result
