"""The draw algorithm on its own (no database): test vectors of docs/inspections-draws.md, determinism,
sensitivity to every input, the conflict rules and the ratios."""

import pytest

from zhifa.inspections.draws import algorithm as a

SECRET = "00" * 31 + "01"


def inputs(n=40, inspectors=6, exclusions=(), homes=None):
    targets = [[f"T{i:04d}", "ABCDN"[i % 5], "619921001" if i % 2 else "619921002"] for i in range(n)]
    people = [[f"C{j:03d}", (homes or {}).get(j, "")] for j in range(inspectors)]
    return {
        "format": a.INPUTS_FORMAT, "draw": {"number": "测试〔2026〕1号"},
        "rules": {"ratios": {"A": 1000, "B": 2000, "C": 3000, "D": 5000, "N": 1000}, "min_ratio": 500,
                  "inspectors_per_target": 2, "repeat_days": 365},
        "targets": targets, "groups": [{"agency": "甲局", "items": [], "inspectors": people}],
        "exclusions": [list(p) for p in exclusions],
    }


def seed_of(doc, witnesses=(("见证人", "1234"),), lottery=None):
    return a.compute_seed(a.inputs_digest(doc), SECRET, [{"name": n, "value": v} for n, v in witnesses], lottery)


def test_vectors():
    """The published test vectors (docs/inspections-draws.md): a re-implementation must give these."""
    assert a.commitment(SECRET) == VECTOR["commitment"]
    doc = inputs()
    assert a.inputs_digest(doc) == VECTOR["inputs_sha256"]
    seed = seed_of(doc)
    assert seed == VECTOR["seed"]
    result = a.run_draw(doc, seed)
    assert [row["id"] for row in result["selected"]] == VECTOR["selected"]
    assert [row["inspectors"][0] for row in result["selected"]][:3] == VECTOR["first_teams"]
    assert a.sha256_hex(a.canonical_json(result)) == VECTOR["result_sha256"]


def test_stream_is_uniform_without_modulo_bias():
    stream = a._Stream(b"s", 0, "T")
    counts = [0] * 3
    for _ in range(3000):
        counts[stream.below(3)] += 1
    assert all(900 < c < 1100 for c in counts)


@pytest.mark.parametrize("change", [
    lambda d: d["targets"][3].__setitem__(1, "A"),
    lambda d: d["targets"].append(["T9999", "B", "619921001"]),
    lambda d: d["groups"][0]["inspectors"].pop(),
    lambda d: d["rules"]["ratios"].__setitem__("B", 2100),
    lambda d: d["exclusions"].append(["C000", "T0001"]),
])
def test_changing_any_input_changes_the_digest_and_the_result(change):
    """Any change of the inputs changes the digest, hence the seed, hence (in practice) the result."""
    doc = inputs()
    before = a.run_draw(doc, seed_of(doc))
    change(doc)
    after = a.run_draw(doc, seed_of(doc))
    assert after["inputs_sha256"] != before["inputs_sha256"] and after["seed"] != before["seed"]
    assert a.canonical_json(after) != a.canonical_json(before)


def test_witness_and_lottery_values_change_the_seed():
    doc = inputs()
    assert seed_of(doc) != seed_of(doc, witnesses=(("见证人", "1235"),))
    assert seed_of(doc) != seed_of(doc, lottery={"name": "3D", "issue": "1", "value": "581"})


def test_same_inputs_same_result():
    doc = inputs()
    assert a.canonical_json(a.run_draw(doc, seed_of(doc))) == a.canonical_json(a.run_draw(inputs(), seed_of(inputs())))


def test_conflicted_inspector_is_never_drawn_under_any_seed():
    """Declared/period exclusions and the home township hold for every seed."""
    doc = inputs(n=60, exclusions=[("C001", f"T{i:04d}") for i in range(0, 60, 3)], homes={2: "619921001"})
    doc["rules"]["min_ratio"] = 10000
    for k in range(30):
        result = a.run_draw(doc, a.sha256_hex(str(k).encode()))
        targets = {t[0]: t for t in doc["targets"]}
        for row in result["selected"]:
            team = row["inspectors"][0]
            assert len(team) == 2 and len(set(team)) == 2
            if int(row["id"][1:]) % 3 == 0:
                assert "C001" not in team
            if targets[row["id"]][2].startswith("619921001"):
                assert "C002" not in team


def test_too_few_eligible_inspectors_is_reported_not_filled():
    doc = inputs(n=10, inspectors=2, exclusions=[("C000", "T0000")])
    doc["rules"]["min_ratio"] = 10000
    result = a.run_draw(doc, "ab" * 32)
    row = next(r for r in result["selected"] if r["id"] == "T0000")
    assert row["inspectors"] == [["C001"]] and result["incomplete_teams"] == 1


def test_quotas_by_class_and_minimum():
    doc = inputs(n=100)
    result = a.run_draw(doc, "cd" * 32)
    assert result["population"] == {"A": 20, "B": 20, "C": 20, "D": 20, "N": 20}
    assert result["quotas"] == {"A": 2, "B": 4, "C": 6, "D": 10, "N": 2}
    doc["rules"]["min_ratio"] = 5000
    result = a.run_draw(doc, "cd" * 32)
    assert result["selected_count"] == 50 and sum(r["reason"] == "minimum" for r in result["selected"]) == 26


def test_malformed_inputs_are_refused():
    doc = inputs()
    doc["targets"][1], doc["targets"][2] = doc["targets"][2], doc["targets"][1]
    with pytest.raises(a.DrawError):
        a.run_draw(doc, "00" * 32)


def test_target_keys_follow_the_written_rule():
    """Independently of ``run_draw``: class C's drawn targets are those with the smallest
    SHA-256(seed ‖ "T" ‖ id), ceil(8 × 30%) = 3 of them."""
    import hashlib

    doc = inputs()
    seed = bytes.fromhex(seed_of(doc))
    class_c = [t[0] for t in doc["targets"] if t[1] == "C"]
    expected = sorted(class_c, key=lambda i: hashlib.sha256(seed + b"T" + i.encode()).digest())[:3]
    result = a.run_draw(doc, seed.hex())
    assert sorted(expected) == [r["id"] for r in result["selected"] if r["class"] == "C"]


# Test vectors of docs/inspections-draws.md ("测试向量"): inputs() above, secret SECRET, one witness
# {"name": "见证人", "value": "1234"}, no lottery.
VECTOR = {
    "commitment": "c386d8e8d07342f2e39e189c8e6c57bb205bb373fe4e3a6f69404a8bb767b417",
    "inputs_sha256": "b61800e2ff2560302821d28eea6330fa029e34cb7ea72b328a9a2646d91c3579",
    "seed": "fcd13a6985d353ff7d97cd9a5f8f5f34d63cdb8253e60695d877ca6cc93616c0",
    "selected": ["T0002", "T0005", "T0008", "T0011", "T0017", "T0018", "T0022", "T0023", "T0031", "T0033", "T0039"],
    "first_teams": [["C000", "C003"], ["C005", "C003"], ["C004", "C000"]],
    "result_sha256": "0959ec79cf3b70e337fa7625af741ebdc1947f38dd9023e31306d39c3faea432",
}
