"""Document PDFs on the task queue: converted by a job after the transaction commits, shown as
"正在生成" until then and "生成失败" (with a retry) after a failure; and a real worker process
(``zhifa run_worker``) against a real database converting, failing and retrying with backoff."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.urls import reverse

from zhifa.cases.documents import convert_pending_documents, generate_documents
from zhifa.cases.models import CaseDocument
from zhifa.core.testing import drain_job_queue
from zhifa.records.models import Event

REPO = Path(__file__).resolve().parents[3]


def _new_document(world, open_general, capture, *, execute):
    case = open_general()
    with capture(execute=execute) as callbacks:
        with transaction.atomic():
            document = generate_documents(case, ["filing_approval"], actor=world.officer_user)[0]
    return case, document, callbacks


def test_the_pdf_is_converted_after_commit_never_inside_the_transaction(
        world, open_general, django_capture_on_commit_callbacks):
    """Generating a document stores the DOCX and marks the PDF 正在生成; the conversion is
    queued for after the commit (one callback), and runs there."""
    case, document, callbacks = _new_document(world, open_general, django_capture_on_commit_callbacks, execute=False)
    document.refresh_from_db()
    assert document.pdf_id is None and document.pdf_status == CaseDocument.PDF_PENDING
    assert document.get_pdf_status_display() == "正在生成"
    assert len(callbacks) == 1
    callbacks[0]()  # what the commit does: the job runs (sync mode in unit tests)
    document.refresh_from_db()
    assert document.pdf_status == CaseDocument.PDF_READY and document.pdf.content_type == "application/pdf"
    event = Event.objects.filter(stream__key=case.stream_key, kind="document").latest("seq")
    assert event.summary == "生成立案审批表（PDF）" and event.files[0]["hash"] == document.pdf.hash


def test_nothing_is_enqueued_when_the_transaction_rolls_back(world, open_general, django_capture_on_commit_callbacks):
    from django_q.models import OrmQ, Task

    case = open_general()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            generate_documents(case, ["filing_approval"], actor=world.officer_user)
            raise RuntimeError("rolled back")
    assert callbacks == [] and not OrmQ.objects.exists() and not Task.objects.exists()
    assert not CaseDocument.objects.filter(case=case).exists()


def test_the_conversion_job_is_idempotent(world, open_general, django_capture_on_commit_callbacks):
    """Run twice (a re-delivery, the sweep, two workers): one PDF, one record entry."""
    case, document, _ = _new_document(world, open_general, django_capture_on_commit_callbacks, execute=True)
    document.refresh_from_db()
    first = document.pdf_id
    assert first is not None
    assert convert_pending_documents([document.pk]) == 0
    document.refresh_from_db()
    assert document.pdf_id == first
    assert Event.objects.filter(stream__key=case.stream_key, summary="生成立案审批表（PDF）").count() == 1


def test_a_failed_conversion_is_shown_and_retried_from_the_page_and_the_api(
        client, api_client, world, open_general, django_capture_on_commit_callbacks, settings):
    from django_q.models import Failure, Schedule

    settings.ZHIFA_SOFFICE = "/nonexistent/soffice"
    settings.ZHIFA_JOBS_SYNC = False  # queued, then run by django-q2's worker and monitor here
    case, document, _ = _new_document(world, open_general, django_capture_on_commit_callbacks, execute=True)
    assert drain_job_queue() == 1
    document.refresh_from_db()
    assert document.pdf_status == CaseDocument.PDF_FAILED and "LibreOffice" in document.pdf_error
    failure = Failure.objects.get()
    assert "LibreOffice" in str(failure.result)
    assert Schedule.objects.filter(name__startswith="zhifa-retry:documents.convert").count() == 1  # backoff retry

    client.force_login(world.officer_user)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "PDF生成失败" in html and "重新生成" in html
    assert reverse("cases:document_retry_pdf", args=[case.pk, document.pk]) in html

    api_client.force_authenticate(world.officer_user)
    listed = api_client.get(f"/api/cases/cases/{case.pk}/documents/").json()
    assert listed[0]["pdf_status"] == "failed" and listed[0]["pdf_hash"] is None
    assert "LibreOffice" in listed[0]["pdf_error"]
    refused = api_client.get(f"/api/cases/cases/{case.pk}/documents/{document.pk}/pdf/")
    assert refused.status_code == 409 and "生成失败" in refused.json()["error"]["message"]
    assert refused.json()["error"]["code"] == "pdf_not_ready"

    # another county's officer cannot even see the case, let alone retry
    api_client.force_authenticate(world.users.officer_b)
    assert api_client.post(f"/api/cases/cases/{case.pk}/documents/{document.pk}/retry-pdf/").status_code == 404

    settings.ZHIFA_SOFFICE = ""
    api_client.force_authenticate(world.officer_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"/api/cases/cases/{case.pk}/documents/{document.pk}/retry-pdf/")
    assert response.status_code == 202 and response.json()["pdf_status"] == "pending"
    assert drain_job_queue() == 1
    document.refresh_from_db()
    assert document.pdf_status == CaseDocument.PDF_READY and document.pdf_error == ""
    again = api_client.post(f"/api/cases/cases/{case.pk}/documents/{document.pk}/retry-pdf/")
    assert again.status_code == 400 and "无需重新生成" in again.json()["error"]["message"]
    html = client.get(case.get_absolute_url()).content.decode()
    assert reverse("cases:document_file", args=[case.pk, document.pk, "pdf"]) in html and "PDF生成失败" not in html


def test_the_web_retry_button_queues_the_conversion(client, world, open_general, django_capture_on_commit_callbacks,
                                                    settings):
    settings.ZHIFA_SOFFICE = "/nonexistent/soffice"
    settings.ZHIFA_JOBS_SYNC = False
    case, document, _ = _new_document(world, open_general, django_capture_on_commit_callbacks, execute=True)
    drain_job_queue()
    document.refresh_from_db()
    assert document.pdf_status == CaseDocument.PDF_FAILED
    settings.ZHIFA_SOFFICE = ""
    client.force_login(world.officer_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:document_retry_pdf", args=[case.pk, document.pk]))
    assert response.status_code == 302
    assert drain_job_queue() == 1
    document.refresh_from_db()
    assert document.pdf_status == CaseDocument.PDF_READY


def test_a_pending_pdf_shows_as_being_generated(client, world, open_general, django_capture_on_commit_callbacks):
    case, document, _ = _new_document(world, open_general, django_capture_on_commit_callbacks, execute=False)
    client.force_login(world.officer_user)
    assert "PDF正在生成" in client.get(case.get_absolute_url()).content.decode()
    response = client.get(reverse("cases:document_file", args=[case.pk, document.pk, "pdf"]))
    assert response.status_code == 404


# --- a real worker process -----------------------------------------------------------------------


def _database_url(tmp_path: Path) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'worker.sqlite3'}"  # a file both processes open
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _env(tmp_path: Path, url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    env.update(ZHIFA_VAR_DIR=str(tmp_path / "var"), ZHIFA_MEDIA_ROOT=str(tmp_path / "media"),
               ZHIFA_DATABASE_URL=url, ZHIFA_WORKER_PROCESSES="1", ZHIFA_JOB_POLL_SECONDS="0.5",
               ZHIFA_JOB_BACKOFF_SECONDS="1", DJANGO_SETTINGS_MODULE="zhifa.settings", **extra)
    return env


def _manage(env, *args, timeout=600) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


class _Worker:
    def __init__(self, env, log: Path):
        self.log = log
        self.process = subprocess.Popen([sys.executable, "manage.py", "run_worker"], cwd=REPO, env=env,
                                        stdout=log.open("a"), stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        # The cluster's own processes (django-q2's sentinel, pusher, workers) are in the worker's
        # process group: none may outlive the test holding a session on the test database, which
        # then cannot be dropped at the end of the run.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _query(url: str, sql: str, params=()):
    if url.startswith("sqlite:"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _wait_for(check, seconds: float, what: str, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(1)
    pytest.fail(f"{what} not within {seconds} s; worker log:\n{log.read_text()[-3000:]}")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_converts_fails_and_retries_with_backoff(tmp_path):
    """``zhifa run_worker`` against the test database (a SQLite file, or PostgreSQL when the
    suite runs there): a conversion that fails (no LibreOffice) is recorded as failed with its
    error and a retry is scheduled; a second worker with LibreOffice picks the retry up from the
    schedule and the PDF appears."""
    url = _database_url(tmp_path)
    log = tmp_path / "worker.log"
    env = _env(tmp_path, url, ZHIFA_SOFFICE="/nonexistent/soffice")
    if url.startswith("sqlite:"):
        _manage(env, "migrate", "--noinput")
    document_id = int(_manage(env, "shell", "-c", "from zhifa.cases.tests.worker_scenario import make_document; "
                                              "print(make_document())").strip().splitlines()[-1])
    state = "SELECT pdf_status, pdf_id, pdf_error FROM cases_casedocument WHERE id = %s"
    assert _query(url, state, (document_id,))[0][0] == "pending"
    assert _query(url, "SELECT COUNT(*) FROM django_q_ormq")[0][0] == 1  # queued at commit

    worker = _Worker(env, log)
    try:
        failed = _wait_for(lambda: [r for r in _query(url, state, (document_id,)) if r[0] == "failed"], 180,
                           "the failure", log)
        assert "LibreOffice" in failed[0][2]
        _wait_for(lambda: _query(url, "SELECT COUNT(*) FROM django_q_task WHERE success = %s", (False,))[0][0], 60,
                  "the failure record", log)
        retries = _query(url, "SELECT name FROM django_q_schedule WHERE name LIKE %s", ("zhifa-retry:%",))
        assert len(retries) == 1 and retries[0][0].startswith("zhifa-retry:documents.convert")
    finally:
        worker.stop()

    worker = _Worker({k: v for k, v in env.items() if k != "ZHIFA_SOFFICE"}, log)
    try:
        # the scheduler looks at due schedules every 30 s
        ready = _wait_for(lambda: [r for r in _query(url, state, (document_id,)) if r[0] == "ready"], 240,
                          "the PDF after the retry", log)
        assert ready[0][1] is not None and ready[0][2] == ""
        # the PDF is saved inside the job; the worker's monitor records the success just after it
        _wait_for(lambda: _query(url, "SELECT COUNT(*) FROM django_q_task WHERE success = %s", (True,))[0][0], 60,
                  "the success record", log)
    finally:
        worker.stop()
    assert _query(url, "SELECT COUNT(*) FROM records_event WHERE summary = %s", ("生成立案审批表（PDF）",))[0][0] == 1
