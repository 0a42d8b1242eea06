"""The OpenAPI schema is a contract a generated client can use (issue #9 item 11).

The test generates a Python client from the schema with openapi-python-client (the maintained
generator), imports every module of it, and drives a live server through a general-procedure
case with it: tokens, opening the case, each transition today's API offers, evidence (uploaded
through the resumable upload), the inspection record, the proposed penalty, the advance notice, next-actions and the hash chain.

Extending the walk when the API gains actions (笔录, 听证, 送达 …): add a step to ``STEPS``
with the role that takes it; each step is one call through the generated client.
"""

import datetime
import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from zhifa.cases.tests.conftest import world  # noqa: F401  (the cases world, used as a fixture here)
from zhifa.core.testing import PASSWORD

PACKAGE = "zhifa_api_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The client package generated from ``manage.py spectacular``'s schema, imported."""
    from drf_spectacular.generators import SchemaGenerator

    work = tmp_path_factory.mktemp("client")
    schema = SchemaGenerator().get_schema(request=None, public=True)
    (work / "schema.json").write_text(json.dumps(schema, default=str), encoding="utf-8")
    (work / "config.yaml").write_text("post_hooks: []\n", encoding="utf-8")
    generator = Path(sys.executable).parent / "openapi-python-client"
    result = subprocess.run(
        [str(generator), "generate", "--path", str(work / "schema.json"), "--meta", "none",
         "--output-path", str(work / PACKAGE), "--config", str(work / "config.yaml")],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(work))
    try:
        package = importlib.import_module(PACKAGE)
        modules = [m.name for m in pkgutil.walk_packages(package.__path__, f"{PACKAGE}.")]
        broken = {}
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception as exc:  # noqa: BLE001  (report every module that does not import)
                broken[name] = repr(exc)
        yield package, modules, broken, result.stdout + result.stderr
    finally:
        sys.path.remove(str(work))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def _api(name):
    return importlib.import_module(f"{PACKAGE}.api.{name}")


def _models():
    return importlib.import_module(f"{PACKAGE}.models")


def test_every_generated_module_imports(generated):
    _package, modules, broken, output = generated
    assert len(modules) > 300
    assert broken == {}
    # only file downloads (PDF, ZIP) and the tus upload's raw PATCH are left to plain HTTP
    skipped = [line for line in output.splitlines() if "will not be generated" in line]
    assert skipped == ["WARNING parsing PATCH /api/records/uploads/{id}/ within records. Endpoint will not be generated."]


def _token(client_module, base_url, username):
    client = client_module.Client(base_url=base_url, raise_on_unexpected_status=True)
    body = _models().AuthTokenRequest(username=username, password=PASSWORD)
    token = _api("auth.auth_token_create").sync(client=client, body=body).token
    return client_module.AuthenticatedClient(base_url=base_url, token=token, prefix="Token",
                                             raise_on_unexpected_status=True)


def _transition(code):
    def step(client, case_id, w):
        body = _models().TransitionRequest(transition=code)
        return _api("cases.cases_cases_transition_create").sync(case_id, client=client, body=body)
    step.__name__ = code
    return step


def _evidence(client, case_id, w):
    """Upload a photo through the resumable upload, then register it as evidence."""
    m = _models()
    photo = b"\xff\xd8\xff\xe0" + b"zhifa-evidence" * 100
    upload = _api("records.records_uploads_create").sync(
        client=client, body=m.UploadCreateRequest(name="货架照片.jpg", size=len(photo), content_type="image/jpeg"))
    assert upload.offset == 0 and upload.stored_file is None
    # the raw PATCH of the tus protocol goes through the same authenticated HTTP client
    response = client.get_httpx_client().patch(
        f"/api/records/uploads/{upload.id}/", content=photo,
        headers={"Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"})
    assert response.status_code == 200, response.text
    stored = m.Upload.from_dict(response.json()).stored_file
    return _api("cases.cases_cases_evidence_create").sync(case_id, client=client, body=m.EvidenceRequest(
        kind=m.EvidenceKindEnum.AUDIOVISUAL, title="货架照片", file=stored.id,
        captured_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)))


def _discretion(client, case_id, w):
    body = _models().DiscretionRequest(level="light", penalty_kinds=["罚款"], fine_amount="8000")
    return _api("cases.cases_cases_discretion_create").sync(case_id, client=client, body=body)


def _inspection(client, case_id, w):
    """现场检查笔录 through its own operation."""
    body = _models().InspectionRequest(
        time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=2), place="云岭县人民路1号店内",
        content="检查店内货架上的预包装食品。", findings="发现标签不符合规定的预包装食品12件。")
    return _api("cases.cases_cases_inspections_create").sync(case_id, client=client, body=body)


# (user attribute of the cases world, step, stage after it). Extend here as the API grows.
STEPS = [
    ("unit_head", _transition("file"), "filed"),
    ("officer_user", _transition("investigate"), "investigation"),
    ("officer_user", _evidence, "investigation"),
    ("officer_user", _inspection, "investigation"),
    ("officer_user", _discretion, "investigation"),
    ("officer_user", _transition("propose"), "discretion"),
    ("officer_user", _transition("notify"), "notice"),
]


@pytest.mark.django_db(transaction=True)
def test_a_case_through_the_generated_client(generated, live_server, world):  # noqa: F811
    """Open a general-procedure case and walk it as far as today's API goes, only through the
    generated client; every answer parses into the generated models."""
    package, *_ = generated
    m = _models()
    clients = {attr: _token(package, live_server.url, getattr(world, attr).username)
               for attr in {"officer_user", "unit_head"}}
    officer = clients["officer_user"]

    case = _api("cases.cases_cases_create").sync(client=officer, body=m.CaseRequest(
        procedure=m.ProcedureEnum.GENERAL, agency=world.tree.market.pk, item=world.item.pk, party=world.company.pk,
        cause="经营标签不符合规定的食品案", occurred_on=datetime.date(2026, 10, 20), place="云岭县人民路1号店内",
        facts="当事人经营标签不符合规定的预包装食品。", officers=[world.o1.pk, world.o2.pk]))
    assert case.stage == "clue" and case.outcome == "" and case.number == ""

    next_actions = _api("cases.cases_cases_next_actions_retrieve").sync(case.id, client=officer)
    assert [(t.code, t.role_allowed) for t in next_actions.transitions] == [("file", False)]  # a head files

    for user, step, stage in STEPS:
        step(clients[user], case.id, world)
        case = _api("cases.cases_cases_retrieve").sync(case.id, client=officer)
        assert case.stage == stage, step.__name__

    assert case.number and case.discretion_level == "light" and case.within_benchmark is True
    evidence = _api("cases.cases_cases_evidence_list").sync(case.id, client=officer)
    assert [e.title for e in evidence] == ["货架照片"]

    # The party's notice period runs now; the decision is the agency head's (and waits for it).
    next_actions = _api("cases.cases_cases_next_actions_retrieve").sync(case.id, client=officer)
    (decide,) = [t for t in next_actions.transitions if t.code == "decide"]
    assert not decide.role_allowed and not decide.ready
    documents = _api("cases.cases_cases_documents_list").sync(case.id, client=officer)
    assert {d.code for d in documents} >= {"filing_approval", "site_inspection_record", "advance_notice"}
    entries = _api("cases.cases_cases_case_file_list").sync(case.id, client=officer)
    assert entries and entries[0].number == 1
    inspections = _api("cases.cases_cases_inspections_list").sync(case.id, client=officer)
    assert [i.place for i in inspections] == ["云岭县人民路1号店内"]

    verify = _api("cases.cases_cases_verify_retrieve").sync(case.id, client=officer)
    assert verify.to_dict()["ok"] is True
    events = _api("cases.cases_cases_events_list").sync(case.id, client=officer)
    # the last step is the notice; each document's PDF is recorded when its job stores it
    assert [e.kind for e in events if e.kind.startswith("transition:")][-1] == "transition:notify"
    assert all(e.summary for e in events) and any(e.summary.endswith("（PDF）") for e in events)
