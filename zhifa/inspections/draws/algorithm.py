#!/usr/bin/env python3
"""双随机抽取算法 (the random-inspection draw, INS-2): one stdlib-only module, used by the server
to run a draw and by anyone to re-run a published one.

The server imports it (``zhifa.inspections.draws.algorithm``); ``scripts/rerun_draw.py`` loads this
very file by path; the portal serves this file for download (``/public/draws/zhifa_draw.py``), and
``python3 zhifa_draw.py <open-data URL or file>`` re-runs a draw with nothing but Python 3.8+.
Keep it free of third-party imports and of Django: it is the one copy of the algorithm.

Everything below is specified byte for byte in ``docs/inspections-draws.md`` (with test vectors):

- ``canonical_json(obj)``: ``json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))``
  encoded UTF-8; the documents contain only strings, integers, lists, objects and null.
- ``H`` = SHA-256 (available in every Python; SM3 is not in every OpenSSL build).
- inputs digest = ``H(canonical_json(inputs))``; commitment = ``H(secret)`` (the secret is 64 hex
  characters, hashed as ASCII).
- seed = ``H(canonical_json({"inputs_sha256", "secret", "witnesses", "lottery"}))``.
- targets: per credit/risk class, sorted by ``H(seed ‖ "T" ‖ id)``, the first
  ``ceil(n × ratio / 10000)`` drawn; then, up to the minimum overall ratio, the remaining targets in
  the same key order.
- inspectors: for each drawn target and each agency group, a random permutation of the group's
  inspectors (Fisher–Yates driven by ``H(seed ‖ "I" ‖ "g:target:j")`` blocks), scanned until
  ``inspectors_per_target`` inspectors without a conflict are found.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys

INPUTS_FORMAT = "zhifa-draw/1"
RESULT_FORMAT = "zhifa-draw-result/1"
OPEN_DATA_FORMAT = "zhifa-draw-open-data/1"
#: credit/risk classes in the order they are drawn ("N" = not yet classified, 未分类)
CLASSES = ("A", "B", "C", "D", "N")
RATIO_SCALE = 10000  # ratios are integers in basis points (万分比): 500 = 5%

_WORDS = struct.Struct(">4Q")  # a SHA-256 block as four big-endian unsigned 64-bit words
_TWO64 = 1 << 64


class DrawError(ValueError):
    """Inputs that do not describe a draw (wrong format, duplicate ids, unknown class …)."""


# -- hashing ----------------------------------------------------------------------------------

def canonical_json(obj) -> bytes:
    """The one byte form of a document: sorted keys, no spaces, UTF-8 (not ASCII-escaped)."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inputs_digest(inputs: dict) -> str:
    """SHA-256 of the canonical inputs (published before the draw)."""
    return sha256_hex(canonical_json(inputs))


def commitment(secret: str) -> str:
    """The commitment published before the draw: SHA-256 of the secret's ASCII text."""
    return sha256_hex(secret.encode("ascii"))


def seed_material(inputs_sha256: str, secret: str, witnesses: list, lottery) -> dict:
    """What the seed is made of: the inputs digest, the operator's revealed secret, the witnesses'
    values (``[{"name", "value"}]`` in the order entered) and the public lottery result
    (``{"name", "issue", "value"}`` or None)."""
    return {"inputs_sha256": inputs_sha256, "secret": secret, "witnesses": witnesses, "lottery": lottery}


def compute_seed(inputs_sha256: str, secret: str, witnesses: list, lottery) -> str:
    """seed = H(canonical_json(seed material)), as 64 hex characters."""
    return sha256_hex(canonical_json(seed_material(inputs_sha256, secret, witnesses, lottery)))


# -- checks -----------------------------------------------------------------------------------

def validate_inputs(inputs: dict) -> None:
    """Raise ``DrawError`` unless ``inputs`` is a well-formed draw description."""
    if not isinstance(inputs, dict) or inputs.get("format") != INPUTS_FORMAT:
        raise DrawError(f"inputs format must be {INPUTS_FORMAT!r}")
    rules = inputs.get("rules") or {}
    ratios = rules.get("ratios") or {}
    if sorted(ratios) != sorted(CLASSES):
        raise DrawError("rules.ratios must give a ratio for each of A, B, C, D, N")
    for value in (*ratios.values(), rules.get("min_ratio")):
        if not isinstance(value, int) or not 0 <= value <= RATIO_SCALE:
            raise DrawError("ratios are integers from 0 to 10000 (basis points)")
    per_target = rules.get("inspectors_per_target")
    if not isinstance(per_target, int) or per_target < 1:
        raise DrawError("rules.inspectors_per_target must be a positive integer")
    previous = None
    classes = frozenset(CLASSES)
    for row in inputs.get("targets", []):
        if type(row) is not list or len(row) != 3:
            raise DrawError("each target is [id, class, region]")
        target_id, cls, region = row
        if type(target_id) is not str or type(region) is not str:
            raise DrawError("each target is [id, class, region] (strings)")
        if cls not in classes:
            raise DrawError(f"unknown credit/risk class {cls!r} of target {target_id}")
        if previous is not None and target_id <= previous:
            raise DrawError("targets must be sorted by id without duplicates")
        previous = target_id
    if not inputs.get("groups"):
        raise DrawError("a draw needs at least one agency group")
    for group in inputs["groups"]:
        seen = set()
        for row in group.get("inspectors", []):
            if not (isinstance(row, list) and len(row) == 2 and all(isinstance(v, str) for v in row)):
                raise DrawError("each inspector is [id, home region]")
            if row[0] in seen:
                raise DrawError(f"inspector {row[0]} listed twice in one group")
            seen.add(row[0])


# -- the draw ---------------------------------------------------------------------------------

def quota(count: int, ratio: int) -> int:
    """ceil(count × ratio / 10000) in integers."""
    return (count * ratio + RATIO_SCALE - 1) // RATIO_SCALE


def target_keys(seed: bytes, ids) -> list:
    """``H(seed ‖ "T" ‖ id)`` for each id (bytes, compared as unsigned big-endian)."""
    base = hashlib.sha256(seed + b"T")
    keys = []
    for target_id in ids:
        h = base.copy()
        h.update(target_id.encode("utf-8"))
        keys.append(h.digest())
    return keys


class _Stream:
    """Unsigned 64-bit words from ``H(seed ‖ "I" ‖ "<group>:<target>:<block>")``, 4 per block."""

    __slots__ = ("prefix", "block", "words")

    def __init__(self, seed: bytes, group: int, target_id: str):
        self.prefix = seed + b"I" + f"{group}:{target_id}:".encode()
        self.block = 0
        self.words = []

    def below(self, n: int) -> int:
        """A uniform integer in [0, n) (rejection sampling: no modulo bias)."""
        limit = _TWO64 - _TWO64 % n
        while True:
            if not self.words:
                digest = hashlib.sha256(self.prefix + str(self.block).encode()).digest()
                self.block += 1
                self.words = list(_WORDS.unpack(digest))[::-1]  # popped from the end: first word first
            word = self.words.pop()
            if word < limit:
                return word % n


def pick_inspectors(seed: bytes, group_index: int, target, inspectors: list, excluded: set, wanted: int) -> list:
    """The first ``wanted`` inspectors without a conflict in a random permutation of
    ``inspectors`` for this target (a sparse Fisher–Yates shuffle, stopped early).

    A conflict: the pair (inspector id, target id) is in ``excluded`` (declared relation, or the
    same inspector on the same target within the period), or the target's region code starts with
    the inspector's home township code.
    """
    target_id, _cls, region = target
    stream = _Stream(seed, group_index, target_id)
    swapped = {}
    chosen = []
    size = len(inspectors)
    for position in range(size):
        j = position + stream.below(size - position)
        picked = swapped.get(j, j)
        swapped[j] = swapped.get(position, position)
        inspector_id, home = inspectors[picked]
        if (inspector_id, target_id) in excluded or (home and region.startswith(home)):
            continue
        chosen.append(inspector_id)
        if len(chosen) == wanted:
            break
    return chosen


def run_draw(inputs: dict, seed_hex: str, inputs_sha256: str | None = None) -> dict:
    """The result of the draw described by ``inputs`` under ``seed_hex`` (a JSON-able dict)."""
    validate_inputs(inputs)
    seed = bytes.fromhex(seed_hex)
    rules = inputs["rules"]
    targets = inputs["targets"]
    keys = target_keys(seed, (row[0] for row in targets))
    by_class = {c: [] for c in CLASSES}
    for index, row in enumerate(targets):
        by_class[row[1]].append(index)
    population = {c: len(by_class[c]) for c in CLASSES}
    quotas = {c: quota(population[c], rules["ratios"][c]) for c in CLASSES}
    reason = {}
    for cls in CLASSES:
        members = sorted(by_class[cls], key=keys.__getitem__)
        for index in members[: quotas[cls]]:
            reason[index] = "ratio"
    minimum = quota(len(targets), rules["min_ratio"])
    if len(reason) < minimum:
        rest = sorted((i for i in range(len(targets)) if i not in reason), key=keys.__getitem__)
        for index in rest[: minimum - len(reason)]:
            reason[index] = "minimum"
    excluded = {(pair[0], pair[1]) for pair in inputs.get("exclusions", [])}
    wanted = rules["inspectors_per_target"]
    groups = inputs["groups"]
    selected = []
    shortfall = 0
    for index in sorted(reason):
        target = targets[index]
        teams = [pick_inspectors(seed, g, target, group.get("inspectors", []), excluded, wanted)
                 for g, group in enumerate(groups)]
        shortfall += sum(1 for team in teams if len(team) < wanted)
        selected.append({"id": target[0], "class": target[1], "reason": reason[index], "inspectors": teams})
    return {
        "format": RESULT_FORMAT,
        "inputs_sha256": inputs_sha256 if inputs_sha256 is not None else inputs_digest(inputs),
        "seed": seed_hex,
        "population": population,
        "quotas": quotas,
        "minimum": minimum,
        "selected_count": len(selected),
        "incomplete_teams": shortfall,
        "selected": selected,
    }


# -- re-running a published draw ----------------------------------------------------------------

def verify_open_data(document: dict) -> tuple[bool, list, dict | None]:
    """Re-run the draw of a published open-data document.

    Returns ``(ok, lines, result)``: ``lines`` say what was checked (Chinese, for people), ``result``
    is the recomputed result (None when the draw has not been run yet).
    """
    lines = []
    ok = True
    if document.get("format") != OPEN_DATA_FORMAT:
        return False, [f"不是抽取公开数据（format 应为 {OPEN_DATA_FORMAT}）"], None
    inputs = document["inputs"]
    digest = inputs_digest(inputs)
    if digest == document.get("inputs_sha256"):
        lines.append(f"输入数据摘要一致：{digest}")
    else:
        ok = False
        lines.append(f"输入数据摘要不一致：重算 {digest}，公布 {document.get('inputs_sha256')}")
    secret = document.get("secret")
    if not secret:
        lines.append("尚未揭示操作员密钥，抽取尚未进行。")
        return False, lines, None
    if commitment(secret) == document.get("commitment"):
        lines.append(f"操作员密钥与事先公布的承诺值一致：{document.get('commitment')}")
    else:
        ok = False
        lines.append("操作员密钥与事先公布的承诺值不一致！")
    seed = compute_seed(document.get("inputs_sha256", digest), secret, document.get("witnesses", []),
                        document.get("lottery"))
    lines.append(f"随机种子：{seed}")
    result = run_draw(inputs, seed, document.get("inputs_sha256", digest))
    mine = canonical_json(result)
    published = document.get("result")
    if published is not None and canonical_json(published) == mine:
        lines.append(f"抽取结果逐字节一致（{result['selected_count']} 个检查对象），结果摘要：{sha256_hex(mine)}")
    else:
        ok = False
        lines.append(f"抽取结果不一致！重算结果摘要：{sha256_hex(mine)}")
    if document.get("result_sha256") not in (None, sha256_hex(mine)):
        ok = False
        lines.append(f"公布的结果摘要 {document.get('result_sha256')} 与重算不符！")
    return ok, lines, result


def load_document(source: str) -> dict:
    """Read an open-data document from an http(s) URL or a file path."""
    if source.startswith(("http://", "https://")):
        from urllib.request import Request, urlopen

        request = Request(source, headers={"Accept": "application/json", "User-Agent": "zhifa-rerun-draw/1"})
        with urlopen(request, timeout=120) as response:  # noqa: S310 (a URL the user typed)
            return json.loads(response.read().decode("utf-8"))
    with open(source, encoding="utf-8") as handle:
        return json.load(handle)


def main(argv=None) -> int:
    """``python3 zhifa_draw.py <URL or file> [--result out.json]``: exit 0 when every published
    value is reproduced, 1 on any mismatch, 2 when the draw has not been run or cannot be read."""
    import argparse

    parser = argparse.ArgumentParser(description="重算并核对一次已公开的双随机抽取（zhifa）。")
    parser.add_argument("source", help="公开数据的网址（…/public/open-data/draws/<编号>.json）或本地文件")
    parser.add_argument("--result", help="把重算的抽取结果（规范 JSON）写入此文件")
    args = parser.parse_args(argv)
    try:
        document = load_document(args.source)
    except (OSError, ValueError) as exc:
        print(f"无法读取公开数据：{exc}", file=sys.stderr)
        return 2
    try:
        ok, lines, result = verify_open_data(document)
    except (DrawError, KeyError, TypeError, ValueError) as exc:
        print(f"公开数据格式错误：{exc}", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    if result is None:
        return 2
    if args.result:
        with open(args.result, "wb") as handle:
            handle.write(canonical_json(result))
    print("核对通过：抽取结果可复现。" if ok else "核对未通过。")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
