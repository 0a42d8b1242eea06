"""The job registry (zhifa/core/jobs.py): one-call registration, schedules written once and kept
in step, retries with exponential backoff, every platform job safe to run twice, and the system
administrator's page and API (nobody else's)."""

import datetime

import pytest
from django.utils import timezone
from django_q.models import Failure, OrmQ, Schedule

from zhifa.core import jobs
from zhifa.core.testing import drain_job_queue

calls = []


def flaky(value):
    """A job body that fails (for the tests)."""
    calls.append(value)
    raise RuntimeError(f"坏了：{value}")


def fine(value):
    calls.append(value)
    return value * 2


@pytest.fixture
def test_jobs():
    calls.clear()
    jobs.register("test.flaky", "测试失败任务", "zhifa.core.tests.test_jobs.flaky", retries=2)
    jobs.register("test.fine", "测试任务", "zhifa.core.tests.test_jobs.fine", every_minutes=15)
    yield
    jobs._REGISTRY.pop("test.flaky", None)
    jobs._REGISTRY.pop("test.fine", None)


def test_the_platform_jobs_are_declared_with_chinese_labels_and_schedules():
    declared = {job.name: job for job in jobs.registered()}
    assert {"documents.convert", "documents.convert_sweep", "statistics.publish", "records.purge_uploads",
            "records.verify_files", "core.analyze_db", "workdays.recount"} <= set(declared)
    assert declared["core.analyze_db"].schedule_label == "每日 03:30"
    assert declared["records.verify_files"].schedule_label == "每1小时"
    assert declared["documents.convert"].schedule_label.startswith("按需")
    for job in declared.values():
        assert callable(job.callable()) and job.label


def test_register_refuses_two_schedules_and_a_malformed_time():
    with pytest.raises(ValueError):
        jobs.register("test.bad", "坏", "zhifa.core.tests.test_jobs.fine", every_minutes=5, daily_at="02:00")
    with pytest.raises(ValueError):
        jobs.register("test.bad", "坏", "zhifa.core.tests.test_jobs.fine", daily_at="25:99")
    assert "test.bad" not in {j.name for j in jobs.registered()}


def test_schedules_are_written_once_and_follow_the_declarations(db, test_jobs):
    first = jobs.sync_schedules()
    periodic = [j for j in jobs.registered() if j.periodic]
    assert first["created"] == len(periodic) and Schedule.objects.count() == len(periodic)
    assert jobs.sync_schedules() == {"created": 0, "updated": 0, "removed": 0}  # idempotent
    row = Schedule.objects.get(name="zhifa:test.fine")
    assert row.schedule_type == Schedule.MINUTES and row.minutes == 15 and row.args == "('test.fine',)"
    daily = Schedule.objects.get(name="zhifa:core.analyze_db")
    local = timezone.localtime(daily.next_run)
    assert daily.schedule_type == Schedule.DAILY and (local.hour, local.minute) == (3, 30)
    jobs.register("test.fine", "测试任务", "zhifa.core.tests.test_jobs.fine", every_minutes=30)
    assert jobs.sync_schedules()["updated"] == 1
    assert Schedule.objects.get(name="zhifa:test.fine").minutes == 30
    jobs._REGISTRY.pop("test.fine")
    assert jobs.sync_schedules()["removed"] == 1 and not Schedule.objects.filter(name="zhifa:test.fine").exists()


def test_a_failed_run_is_recorded_and_retried_with_exponential_backoff(db, test_jobs, settings):
    settings.ZHIFA_JOB_BACKOFF_SECONDS = 60
    settings.ZHIFA_JOBS_SYNC = False
    jobs.enqueue("test.flaky", "甲")
    assert drain_job_queue() == 1 and not OrmQ.objects.exists()  # failed, recorded, acknowledged
    failure = Failure.objects.get()
    assert "坏了：甲" in str(failure.result) and calls == ["甲"]
    retry = Schedule.objects.get(name__startswith="zhifa-retry:test.flaky")
    assert retry.schedule_type == Schedule.ONCE and retry.repeats == 1
    assert abs((retry.next_run - timezone.now()).total_seconds() - 60) < 5
    assert "'_attempt': 2" in retry.kwargs
    # the second attempt fails too: the third comes after twice the delay
    with pytest.raises(RuntimeError):
        jobs.run("test.flaky", "甲", _attempt=2)
    later = Schedule.objects.filter(name__startswith="zhifa-retry:test.flaky").order_by("-next_run").first()
    assert abs((later.next_run - timezone.now()).total_seconds() - 120) < 5
    # the last allowed attempt schedules nothing more
    before = Schedule.objects.count()
    with pytest.raises(RuntimeError):
        jobs.run("test.flaky", "甲", _attempt=3)
    assert Schedule.objects.count() == before
    assert [jobs.backoff_seconds(n) for n in (1, 2, 3)] == [60, 120, 240]


def test_enqueue_outside_sync_mode_puts_one_run_on_the_queue(db, test_jobs, settings):
    settings.ZHIFA_JOBS_SYNC = False
    jobs.enqueue("test.fine", 3)
    assert calls == [] and OrmQ.objects.count() == 1
    run = jobs.queued_runs()[0]
    assert run.job == "test.fine" and run.args == (3,) and run.label == "测试任务" and not run.running
    with pytest.raises(jobs.UnknownJob):
        jobs.enqueue("test.nothing")


@pytest.mark.parametrize("name", ["documents.convert_sweep", "statistics.publish", "records.purge_uploads",
                                  "records.verify_files", "core.analyze_db", "workdays.recount"])
def test_every_periodic_platform_job_is_safe_to_run_twice(db, name):
    """Run twice in a row, the second run finds nothing left to do and raises nothing."""
    first = jobs.run(name)
    second = jobs.run(name)
    if isinstance(first, int):
        assert second == 0 or name == "core.analyze_db"
    assert not Failure.objects.exists()


# --- the system administrator's page and API -----------------------------------------------------


@pytest.fixture
def failed_run(db, test_jobs, settings):
    settings.ZHIFA_JOBS_SYNC = False
    jobs.enqueue("test.flaky", "乙")
    drain_job_queue()
    return Failure.objects.get()


def test_the_job_page_lists_failed_and_scheduled_runs_for_the_system_administrator(client, users, failed_run):
    jobs.sync_schedules()
    client.force_login(users.admin_a)
    html = client.get("/jobs/").content.decode()
    assert "测试失败任务" in html and "坏了：乙" in html and "重试" in html
    assert "更新数据库统计信息（ANALYZE）" in html and "每日 03:30" in html
    assert "自动重试" in html  # the backoff retry is scheduled
    assert "后台任务" in client.get("/").content.decode()  # in the menu


@pytest.mark.parametrize("who", ["officer_a", "supervisor_a", "security_a", "auditor_a", "head_a"])
def test_nobody_but_the_system_administrator_sees_or_retries_jobs(client, api_client, users, failed_run, who):
    user = getattr(users, who)
    client.force_login(user)
    assert client.get("/jobs/").status_code == 403
    assert client.post(f"/jobs/failed/{failed_run.pk}/retry").status_code == 403
    api_client.force_authenticate(user)
    assert api_client.get("/api/core/jobs/").status_code == 403
    assert api_client.post(f"/api/core/jobs/{failed_run.pk}/retry/").status_code == 403
    assert calls == ["乙"]


def test_the_system_administrator_retries_a_failed_job_on_the_page_and_in_the_api(
        client, api_client, users, failed_run):
    from zhifa.core.models import ChangeLog

    client.force_login(users.admin_a)
    response = client.post(f"/jobs/failed/{failed_run.pk}/retry")
    assert response.status_code == 302 and drain_job_queue() == 1 and calls == ["乙", "乙"]
    assert ChangeLog.objects.filter(note="重试后台任务：测试失败任务", actor=users.admin_a).exists()
    api_client.force_authenticate(users.admin_a)
    overview = api_client.get("/api/core/jobs/").json()
    assert {f["job"] for f in overview["failed"]} == {"test.flaky"} and len(overview["failed"]) == 2
    assert "坏了：乙" in overview["failed"][0]["error"] and overview["failed"][0]["label"] == "测试失败任务"
    assert any(s["schedule"] == "自动重试" for s in overview["scheduled"])
    assert {"name": "core.analyze_db", "label": "更新数据库统计信息（ANALYZE）", "schedule": "每日 03:30"} in overview[
        "declared"]
    response = api_client.post(f"/api/core/jobs/{failed_run.pk}/retry/")
    assert response.status_code == 202 and response.json()["task"] and OrmQ.objects.count() == 1
    assert drain_job_queue() == 1 and calls == ["乙", "乙", "乙"]
    missing = api_client.post("/api/core/jobs/0123456789abcdef/retry/")
    assert missing.status_code == 400 and "没有这条失败记录" in missing.json()["error"]["message"]


def test_a_failure_of_a_job_no_longer_declared_cannot_be_retried(client, users, failed_run):
    jobs._REGISTRY.pop("test.flaky")
    client.force_login(users.admin_a)
    response = client.post(f"/jobs/failed/{failed_run.pk}/retry", follow=True)
    assert "已不再登记" in response.content.decode()


def test_backoff_is_computed_from_the_settings(settings):
    settings.ZHIFA_JOB_BACKOFF_SECONDS = 5
    assert jobs.backoff_seconds(4) == 40
    assert isinstance(jobs._next_daily("02:00", timezone.now()), datetime.datetime)
