"""Walking a hash chain in segments, so that a long stream is verified by several processes.

``services.verify_stream`` checks each link of a chain (校验哈希链): its number follows the
previous one, its ``prev_hash`` is the previous link's hash, and its hash is the hash of its
own content. The last two depend on one link and its predecessor only, so a stream split
into ranges of numbers can be walked range by range at once: ``walk`` checks the links of
one range as the serial walk would, and ``stitch`` checks the one link per range boundary
that ``walk`` could not (the first link of a range against the last link of the range
before) and adds every problem to the result in order — the same problems, in the same
order, as one walk over the whole stream.
"""

import hashlib
import multiprocessing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# Problems kept per segment: ``VerifyResult`` keeps 50 in all, the first ones.
MAX_PROBLEMS = 50


@dataclass
class Segment:
    """What one walk over consecutive links found: the first link (its number and
    ``prev_hash``), the last (its number and hash), the problems among its own links (each
    ``(message, seq)``, in order), the files they refer to and what it saw of the anchor.

    A walk calls its methods only for the first link and where something is wrong (or at the
    anchor, or for a link with files): the loop over a million good links stays short."""

    first_seq: int | None = None
    first_prev: str = ""
    last_seq: int | None = None
    last_hash: str = ""
    checked: int = 0
    problems: list[tuple[str, int | None]] = field(default_factory=list)
    files: dict[str, tuple[int, dict]] = field(default_factory=dict)
    anchor_seen: bool = False
    anchor_changed: bool = False

    def add(self, message: str, seq: int | None) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((message, seq))

    def follow(self, seq: int, expected: int | None, link_prev: str, prev_hash: str) -> None:
        """The link ``seq`` is the segment's first (``expected`` is ``None``) or does not
        follow the one before it."""
        if expected is None:
            self.first_seq, self.first_prev = seq, link_prev
            return
        problem = link_problem(seq, expected, link_prev, prev_hash)
        if problem is not None:
            self.add(*problem)

    def mismatch(self, seq: int, algorithm: str, hasher, link_prev: str, digest: str,
                 reference: Callable[[object], bytes] | None, raw) -> None:
        """The quick bytes of link ``seq`` did not hash to ``digest`` (or its algorithm is
        unknown): hash the canonical bytes ``reference(raw)`` instead, and only if they do not
        match either, the link was changed."""
        if hasher is None:
            self.add(f"第{seq}条记录的哈希算法“{algorithm}”无法识别", seq)
            return
        if reference is not None:
            exact = hasher.copy()
            exact.update(link_prev.encode("utf-8") + reference(raw))
            if exact.hexdigest() == digest:
                return
        self.add(f"第{seq}条记录的内容被修改（哈希不符）", seq)

    def at_anchor(self, seq: int, digest: str, anchor: tuple) -> None:
        """Link ``seq`` is the one a signed checkpoint (``anchor``) fixed."""
        self.anchor_seen = True
        if digest != anchor[2]:
            self.anchor_changed = True
            self.add(f"自第 {anchor[0]} 号检查点以来被改动：第{seq}条记录的哈希与检查点签名时不符"
                     "（其前的记录被改写）", seq)

    def note_files(self, seq: int, files) -> None:
        """The stored files link ``seq`` refers to (the first link naming a file is kept)."""
        for ref in files if isinstance(files, list) else ():
            if isinstance(ref, dict) and ref.get("hash") and ref["hash"] not in self.files:
                self.files[ref["hash"]] = (seq, ref)

    def close(self, checked: int, expected: int | None, prev_hash: str) -> "Segment":
        self.checked = checked
        if checked:
            self.last_seq, self.last_hash = expected - 1, prev_hash
        return self


def link_problem(seq: int, expected: int, link_prev: str, prev_hash: str) -> tuple[str, int] | None:
    """The problem of a link that does not follow the one before it (a gap, or another
    ``prev_hash``), or ``None``."""
    if seq != expected:
        missing = f"第{expected}条" if seq == expected + 1 else f"第{expected}至{seq - 1}条"
        return f"{missing}记录缺失", expected
    if link_prev != prev_hash:
        return f"第{seq}条记录的前序哈希与第{seq - 1}条记录不符", seq
    return None


def hashers(algorithms: Iterable[str]) -> dict:
    """One hashlib object per algorithm, to be copied per link (no lookup by name per link)."""
    return {name: hashlib.new(name) for name in algorithms}


def walk(links: Iterable[tuple], reference_body: Callable[[object], bytes] | None, anchor: tuple | None,
         algorithms: Iterable[str]) -> Segment:
    """Check consecutive ``links`` — ``(seq, prev_hash, hash, algorithm, body, files, raw)``.

    The first link is checked only against its own hash (``stitch`` checks how it follows the
    segment before). ``body`` is the link's content in canonical bytes as a quick encoder
    wrote it; where its hash does not match, ``reference_body(raw)`` (if given) is hashed
    instead (``Segment.mismatch``) — so the quick encoder can only make verification
    quicker, never report a change that is not there. ``anchor`` is ``(checkpoint number,
    seq, hash)`` as in ``verify_stream`` (or ``None``). ``services._walk_events`` is this loop
    written out for event rows."""
    segment = Segment()
    anchor_seq = anchor[1] if anchor is not None else None
    by_name = hashers(algorithms)
    expected, prev_hash, checked = None, "", 0
    for seq, link_prev, digest, algorithm, body, files, raw in links:
        if seq != expected or link_prev != prev_hash:
            segment.follow(seq, expected, link_prev, prev_hash)
        hasher = by_name.get(algorithm)
        if hasher is not None:
            copy = hasher.copy()
            copy.update(link_prev.encode("utf-8") + body)
        if hasher is None or copy.hexdigest() != digest:
            segment.mismatch(seq, algorithm, hasher, link_prev, digest, reference_body, raw)
        if seq == anchor_seq:
            segment.at_anchor(seq, digest, anchor)
        if files:
            segment.note_files(seq, files)
        checked += 1
        expected, prev_hash = seq + 1, digest
    return segment.close(checked, expected, prev_hash)


def stitch(segments: Iterable[Segment], add: Callable[[str, int | None], None]) -> Segment:
    """Join segments walked in order: check each first link against the last link before
    it (the first against number 1 and no previous hash) and add every problem through
    ``add``, in order. Returns the whole as one segment (its problems already added)."""
    whole = Segment(last_seq=0)
    expected, prev_hash = 1, ""
    for segment in segments:
        if not segment.checked:
            continue
        problem = link_problem(segment.first_seq, expected, segment.first_prev, prev_hash)
        if problem is not None:
            add(*problem)
        for message, seq in segment.problems:
            add(message, seq)
        for digest, ref in segment.files.items():
            whole.files.setdefault(digest, ref)
        whole.checked += segment.checked
        whole.anchor_seen = whole.anchor_seen or segment.anchor_seen
        whole.anchor_changed = whole.anchor_changed or segment.anchor_changed
        expected, prev_hash = segment.last_seq + 1, segment.last_hash
    whole.last_seq, whole.last_hash = expected - 1, prev_hash
    return whole


def seq_ranges(head_seq: int, parts: int) -> list[tuple[int | None, int | None]]:
    """``parts`` ranges of link numbers covering 1…``head_seq`` evenly, the first open below
    and the last open above (so links outside 1…head_seq are walked too)."""
    bounds = [1 + head_seq * i // parts for i in range(parts + 1)]
    ranges = [(bounds[i], bounds[i + 1] - 1) for i in range(parts)]
    ranges[0] = (None, ranges[0][1])
    ranges[-1] = (ranges[-1][0], None)
    return ranges


def in_processes(function: Callable, arguments: list[tuple]) -> list:
    """``[function(*a) for a in arguments]``, each call in a forked process of its own (the
    parent's memory, Django already set up: no start-up per process)."""
    with multiprocessing.get_context("fork").Pool(len(arguments)) as pool:
        return pool.starmap(function, arguments)
