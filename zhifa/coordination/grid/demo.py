"""Demo of grid dispatch: two grids in each demo township under 云岭县综合行政执法局, a grid worker, tasks in
every state (one overdue), patrol reports with a photo, and one report that became a case lead."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from zhifa.accounts import roles
from zhifa.accounts.models import User
from zhifa.core import clock

from . import models as m
from . import services

# A tiny PNG (the records store recognises it as an image from its bytes).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cfc0f01f0005000201a5d4c5c80000000049454e44ae426082")

TOWNSHIPS = [  # township, team key, grids (number, name, bounds)
    ("云岭镇", "云岭镇执法办·云岭镇综合执法队", [
        ("001", "正街网格", "正街1–199号、北关巷全段，东至滨河路，西至环城西路"),
        ("002", "滨河网格", "滨河路全段及沿河绿道，南至云岭大桥")]),
    ("青川镇", "青川镇执法办·青川镇综合执法队", [
        ("001", "河东网格", "河东路1–88号、青川市场"), ("002", "工业园网格", "青川工业园区全域")]),
    ("白石镇", "白石镇执法办·白石镇综合执法队", [
        ("001", "兴隆街网格", "兴隆街全段、白石中学周边"), ("002", "白石村网格", "白石村一至六组")]),
]
POLYGON = ('{"type": "Polygon", "coordinates": [[[108.9401, 34.2601], [108.9482, 34.2601], [108.9482, 34.2653], '
           '[108.9401, 34.2653], [108.9401, 34.2601]]]}')


def _photo(name):
    return services.store_photos([SimpleUploadedFile(name, PNG, content_type="image/png")])


ROUTINE_PLACES = ("正街", "滨河路")


def load(ctx) -> None:
    zonghe = ctx.agencies["云岭县综合行政执法局"]
    commander = ctx.users["zonghe_head"]
    worker = User(username="grid_worker", display_name="云岭镇 网格员 张敏", role=roles.AUXILIARY,
                  agency=ctx.agencies["云岭镇综合行政执法办公室"])
    from zhifa.core.demo import DEMO_PASSWORD

    worker.set_password(DEMO_PASSWORD)
    worker.save()
    ctx.users["grid_worker"] = worker
    grids = []
    for township, team_key, rows in TOWNSHIPS:
        region = ctx.regions[township]
        for number, name, bounds in rows:
            grids.append(services.save_grid(
                None, actor=commander, township=region, agency=zonghe, team=ctx.units[team_key],
                code=f"{region.code}{number}", name=f"{township}{name}", bounds=bounds,
                polygon=POLYGON if not grids else "", workers=[worker] if township == "云岭镇" else []))
    now = clock.now()
    yunling, binhe, hedong = grids[0], grids[1], grids[2]
    qingchuan = ctx.users["qingchuan_officer"]

    def task(grid, title, kind=m.PATROL, priority=m.NORMAL, hours=24, **extra):
        return services.dispatch(actor=commander, grid=grid, kind=kind, priority=priority, title=title,
                                 description=f"{title}，发现问题拍照上报，能当场处置的当场处置。",
                                 due_at=clock.now() + datetime.timedelta(hours=hours), **extra)

    # an overdue one: dispatched yesterday as urgent, never accepted
    with clock.at(now - datetime.timedelta(hours=20)):
        task(hedong, "青川市场周边燃气泄漏报警核查", kind=m.INCIDENT, priority=m.URGENT, hours=6)
    task(binhe, "滨河绿道夜间烧烤摊巡查")  # dispatched
    t = task(yunling, "正街早市占道经营巡查", priority=m.HIGH)
    services.accept(t, actor=worker)  # accepted
    t = task(hedong, "河东路渣土车抛洒专项检查", kind=m.SPECIAL)
    services.accept(t, actor=qingchuan)
    services.arrive(t, actor=qingchuan, latitude="34.262100", longitude="108.944300", place="河东路与青川大道路口")
    t = task(yunling, "正街餐饮油烟扰民投诉核查", kind=m.INCIDENT)  # reported, waits for the centre
    services.accept(t, actor=worker)
    services.arrive(t, actor=worker, latitude="34.261500", longitude="108.942200", place="正街56号")
    services.file_report(actor=worker, grid=yunling, task=t, text="正街56号餐馆油烟净化器未开启，已督促开启并登记。",
                         place="正街56号", category="environment", problem_found=True, photos=_photo("油烟.png"))
    t = task(binhe, "滨河路井盖缺失处置", kind=m.INCIDENT, priority=m.URGENT)  # closed
    services.accept(t, actor=worker)
    services.arrive(t, actor=worker, latitude="34.258800", longitude="108.947000", place="滨河路18号")
    services.file_report(actor=worker, grid=binhe, task=t, text="井盖已由市政补装，现场围挡已撤。", place="滨河路18号",
                         category="safety", problem_found=False, photos=_photo("井盖.png"))
    services.close(t, actor=commander, note="处置到位")
    task(grids[4], "兴隆街校园周边流动摊贩巡查")  # dispatched to 白石镇
    t = task(binhe, "滨河路沿街流动摊贩巡查")  # returned by the team
    services.send_back(t, actor=worker, reason="云岭镇执法队今日参加县里的专项整治，请改派")
    # a month of routine patrol reports (the board's chart of reports per day): one to three a day
    for days_ago in range(29, 0, -1):
        with clock.at(now - datetime.timedelta(days=days_ago, hours=2)):
            for n in range(days_ago % 3 + 1):
                grid = (yunling, binhe)[n % 2]
                problem = (days_ago + n) % 5 == 0
                services.file_report(actor=worker, grid=grid, place=ROUTINE_PLACES[n % 2],
                                     text="日常巡查，发现占道经营，已劝离。" if problem else "日常巡查，无异常。",
                                     category="other", problem_found=problem)
    # reports without a task; one became a case lead of the county bureau
    services.file_report(actor=worker, grid=yunling, text="北关巷日常巡查，无异常。", place="北关巷", category="other")
    found = services.file_report(actor=ctx.users["zonghe_officer"], grid=yunling,
                                 text="正街88号商户在人行道搭建彩钢棚，疑似违法建设。", place="正街88号",
                                 category="construction", problem_found=True, latitude="34.262900",
                                 longitude="108.943800", photos=_photo("彩钢棚.png"))
    from zhifa.cases.models import Case

    case = (Case.objects.filter(agency=zonghe, source__in=("inspection", "other"))  # demo loader (allow-listed)
            .order_by("pk").first())
    if case is not None:
        services.start_case(found, actor=ctx.users["zonghe_officer"], case=case)
