"""The equipment register and non-site records at scale: ``python -m benchmarks.devices [--devices N]
[--records M]``.

A fresh SQLite database under ``var/bench-devices/`` (or ``ZHIFA_DATABASE_URL``, which must be empty)
gets the demo data, then N devices (cameras, terminals, monitoring devices; most issued) and M
non-site records spread over the demo county's agencies, added in two steps (a tenth, then the rest).
At each size it prints the median time and query count of the register and record lists (HTML and
API) for an officer and the county supervisor, the public device list, the township device count
(ORG-6) and the TOWNSHIP_DEVICE_RATIO_LOW problem model over the county. Prints numbers, asserts
nothing (records are created without files: the lists never read them).
"""

import argparse
import datetime
import random
import statistics
import time
from pathlib import Path

from benchmarks.__main__ import setup


def fill(devices, records, seed):
    from django.utils import timezone

    from zhifa.accounts.models import User
    from zhifa.inspections.models.devices import CAMERA, MONITOR, PASSED, TERMINAL, Device, DeviceRecord
    from zhifa.orgs.models import Agency
    from zhifa.people.models import Officer

    rnd = random.Random(seed)
    agencies = list(Agency.objects.filter(region__path__startswith="/610000/619900/619921/").values_list("pk", flat=True))
    officers = {}
    for pk, agency_id in Officer.objects.filter(home_agency_id__in=agencies).values_list("pk", "home_agency_id"):
        officers.setdefault(agency_id, []).append(pk)
    start = timezone.localdate() - datetime.timedelta(days=400)
    rows = []
    for i in range(devices):
        agency_id = agencies[i % len(agencies)]
        kind = rnd.choice([CAMERA, CAMERA, TERMINAL, MONITOR])
        row = Device(kind=kind, serial=f"B{seed}-{i:07d}", agency_id=agency_id, in_service_on=start)
        if kind == MONITOR:
            row.location = f"合成设置地点{i}"
            if rnd.random() < 0.8:
                row.legal_review_conclusion = row.technical_review_conclusion = PASSED
                row.legal_review_on = row.technical_review_on = row.published_on = start
                row.legal_reviewer = row.technical_reviewer = "合成"
                row.published = True
        elif officers.get(agency_id) and rnd.random() < 0.9:
            row.holder_id = rnd.choice(officers[agency_id])
        rows.append(row)
    Device.objects.bulk_create(rows, batch_size=5000)
    monitors = list(Device._base_manager.filter(kind=MONITOR, published=True).values_list("pk", "agency_id")[:2000])
    user_id = User.objects.order_by("pk").values_list("pk", flat=True).first()
    now = timezone.now()
    base = DeviceRecord._base_manager.count()
    records_rows = []
    for i in range(records):
        device_id, agency_id = monitors[i % len(monitors)]
        records_rows.append(DeviceRecord(
            number=f"FXB{seed}{base + i:09d}", device_id=device_id, agency_id=agency_id,
            captured_at=now - datetime.timedelta(minutes=rnd.randint(1, 500_000)), place="合成地点",
            party_identifier=f"陕H{rnd.randint(10000, 99999)}", content="合成记录", recorded_by_id=user_id,
            status=rnd.choice(["pending", "accepted", "rejected"])))
    DeviceRecord.objects.bulk_create(records_rows, batch_size=5000)


def measure(users, repeats=9):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhifa.accounts.testing import VerifiedClient
    from zhifa.core import clock
    from zhifa.inspections.devices.staffing import township_devices
    from zhifa.orgs.models import Region
    from zhifa.supervision.problems.registry import CheckContext, get_check

    urls = ["/inspections/devices/", "/api/inspections/devices/", "/inspections/device-records/",
            "/api/inspections/device-records/", "/inspections/devices/?kind=camera&q=B1"]
    for label, user in users:
        client = VerifiedClient()
        client.force_login(user)
        for url in urls:
            client.get(url)
            samples = []
            for _ in range(repeats):
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    status = client.get(url).status_code
                samples.append((time.perf_counter() - started) * 1000)
            print(f"    {label} {url}: median {statistics.median(samples):.1f} ms, {len(queries)} queries, {status}")
    anonymous = VerifiedClient()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            anonymous.get("/api/public/monitoring-devices/?page=2", HTTP_X_FORWARDED_FOR=f"10.0.0.{_}")
        samples.append((time.perf_counter() - started) * 1000)
    print(f"    公众 /api/public/monitoring-devices/?page=2: median {statistics.median(samples):.1f} ms, "
          f"{len(queries)} queries")
    townships = list(Region.objects.filter(level="township").values_list("pk", flat=True))
    started = time.perf_counter()
    counts = township_devices(townships, clock.today())
    print(f"    乡镇设备计数（{len(townships)} 个乡镇）：{(time.perf_counter() - started) * 1000:.1f} ms，"
          f"{sum(counts.values())} 台")
    check = get_check("TOWNSHIP_DEVICE_RATIO_LOW")
    started = time.perf_counter()
    found = list(check.func(CheckContext(today=clock.today(), params=check.params)))
    print(f"    问题模型 TOWNSHIP_DEVICE_RATIO_LOW：{(time.perf_counter() - started) * 1000:.1f} ms，{len(found)} 条")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=50_000)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--on-demo", action="store_true",
                        help="ZHIFA_DATABASE_URL already holds the demo data (a copy of a demo database): do not load it")
    args = parser.parse_args(argv)
    setup(Path("var/bench-devices"))
    from zhifa.accounts.models import User
    from zhifa.core.demo import load_demo

    if not args.on_demo:
        started = time.perf_counter()
        load_demo()
        print(f"演示数据：{time.perf_counter() - started:.0f} s")
    users = [("执法人员", User.objects.get(username="zonghe_officer")),
             ("县监督人员", User.objects.get(username="supervisor"))]
    for step, share in ((1, 10), (2, None)):
        devices = args.devices // 10 if share else args.devices - args.devices // 10
        records = args.records // 10 if share else args.records - args.records // 10
        started = time.perf_counter()
        fill(devices, records, step)
        total = args.devices // 10 if share else args.devices
        print(f"{total:,} 台设备、{(args.records // 10 if share else args.records):,} 条记录"
              f"（写入 {time.perf_counter() - started:.1f} s）：")
        measure(users)


if __name__ == "__main__":
    main()
