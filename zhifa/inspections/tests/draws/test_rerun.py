"""Anyone can re-run a published draw (INS-2, issue #13 item 12): the stdlib-only script fetches the
portal's open data over HTTP from a live server, recomputes and compares byte for byte; a changed
input, secret or witness value is detected."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from zhifa.core import clock
from zhifa.inspections.draws import algorithm, services

from .conftest import run

ROOT = Path(__file__).resolve().parents[4]
SCRIPT = ROOT / "scripts" / "rerun_draw.py"


def rerun(*args):
    return subprocess.run([sys.executable, "-I", str(SCRIPT), *args], capture_output=True, text=True, timeout=120,
                          cwd="/")


@pytest.mark.django_db(transaction=True)
def test_script_reproduces_the_draw_from_the_live_portal(world, make_draw, live_server, tmp_path):
    """Start the server, run ``scripts/rerun_draw.py <url>`` as a subprocess: exit 0, same result bytes."""
    draw = run(make_draw(entries=[world.entry, world.city_entry]), world.users.head_a,
               lottery={"name": "中国福利彩票3D", "issue": "2026320", "value": "581", "date": clock.today()})
    url = f"{live_server.url}/public/open-data/draws/{draw.pk}.json"
    out = tmp_path / "result.json"
    done = rerun(url, "--result", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "核对通过" in done.stdout and draw.result_sha256 in done.stdout
    published = json.loads(services.open_data_bytes(draw))["result"]
    assert out.read_bytes() == algorithm.canonical_json(published)
    assert algorithm.sha256_hex(out.read_bytes()) == draw.result_sha256


@pytest.mark.django_db(transaction=True)
def test_portal_page_shows_the_command_and_serves_the_same_algorithm(world, make_draw, live_server, tmp_path):
    """The public page gives the exact command; the downloadable ``zhifa_draw.py`` is the module the server runs
    and re-runs the draw on its own."""
    import urllib.request

    draw = run(make_draw(), world.users.head_a)
    page = urllib.request.urlopen(f"{live_server.url}/public/draws/{draw.pk}/").read().decode()
    data_url = f"{live_server.url}/public/open-data/draws/{draw.pk}.json"
    assert f"python3 zhifa_draw.py {data_url}" in page
    assert draw.commitment in page and draw.inputs_sha256 in page and draw.result_sha256 in page
    script = urllib.request.urlopen(f"{live_server.url}/public/draws/zhifa_draw.py").read()
    assert script == Path(algorithm.__file__).read_bytes()
    local = tmp_path / "zhifa_draw.py"
    local.write_bytes(script)
    done = subprocess.run([sys.executable, "-I", str(local), data_url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.django_db
def test_script_exit_codes_on_tampered_and_unfinished_draws(world, make_draw, tmp_path):
    """A changed target, secret, witness value or result fails (exit 1); a draw not yet run exits 2."""
    draw = run(make_draw(), world.users.head_a)
    document = json.loads(services.open_data_bytes(draw))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert rerun(str(good)).returncode == 0

    def tampered(change):
        doc = json.loads(json.dumps(document))
        change(doc)
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        return rerun(str(path))

    def flip_class(doc):
        doc["inputs"]["targets"][0][1] = "D" if doc["inputs"]["targets"][0][1] != "D" else "A"

    for change in (flip_class,
                   lambda doc: doc.update(secret="0" * 64),
                   lambda doc: doc["witnesses"][0].update(value="9999"),
                   lambda doc: doc["result"]["selected"].pop()):
        assert tampered(change).returncode == 1
    frozen = services.freeze(make_draw(), world.users.head_a)
    pending = tmp_path / "pending.json"
    pending.write_bytes(services.open_data_bytes(frozen))
    done = rerun(str(pending))
    assert done.returncode == 2 and "尚未" in done.stdout
