"""Demo data of the portal: service guides (办事指南) of a few agencies, one change of law and
one change of duties, so that the freshness report (PUB-5) has something to show."""

import datetime

from django.utils import timezone

from zhifa.catalog import services as catalog_services
from zhifa.catalog.models import Item
from zhifa.core import clock

from . import services
from .models import ServiceGuide

FOOD_LAW = "《中华人民共和国食品安全法》"

# agency, title, applicable_to, basis, materials, process, time limit, location
GUIDES = [
    ("云岭县市场监督管理局", "投诉举报受理", "消费者、经营者及其他公民、法人和组织",
     "《市场监督管理投诉举报处理暂行办法》", "投诉书或举报材料；身份证明；相关证据材料",
     "提交投诉举报 → 7个工作日内决定是否受理 → 调解或核查处理 → 告知结果", "7个工作日内决定是否受理",
     "云岭县人民路66号一楼大厅"),
    ("云岭县市场监督管理局", "行政处罚决定书查询与罚款缴纳", "被处罚的公民、法人或者其他组织",
     "《中华人民共和国行政处罚法》第六十七条；《罚款决定与罚款收缴分离实施办法》",
     "行政处罚决定书；缴款人身份证明", "持决定书到指定银行缴纳罚款 → 银行出具收据 → 执法机关核销",
     "收到决定书之日起十五日内缴纳", "云岭县农村信用合作联社各营业网点"),
    ("云岭县综合行政执法局", "建筑垃圾处置核准咨询", "需处置建筑垃圾的建设单位、施工单位、运输单位",
     "《城市建筑垃圾管理规定》第七条", "申请书；处置方案；运输车辆及消纳场所证明",
     "提交材料 → 现场核查 → 作出核准决定", "20个工作日", "云岭县新城路18号"),
    ("云岭县综合行政执法局", "占用城市道路投诉举报", "公民、法人和其他组织",
     "《城市道路管理条例》第二十七条", "举报人联系方式；现场照片等线索",
     "电话或现场举报 → 执法中队核查 → 依法处理并反馈", "5个工作日内反馈核查情况", "云岭县新城路18号"),
]


def load(ctx) -> None:
    today = ctx.today
    # Guides written three months ago (their revisions carry that date).
    written = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=90), datetime.time(10)))
    with clock.at(written):
        for agency_name, title, applicable, basis, materials, process, time_limit, location in GUIDES:
            agency = ctx.agencies[agency_name]
            services.save_guide(ServiceGuide(
                agency=agency, title=title, applicable_to=applicable, basis=basis, materials=materials,
                process=process, time_limit=time_limit, location=location, phone=agency.phone,
                office_hours="工作日 上午9:00—12:00，下午13:30—17:30",
            ), None)

    # The food safety law changed 20 days ago: the items citing it had 10 working days to follow;
    # one was revised (late), the others are overdue on the freshness report.
    effective = today - datetime.timedelta(days=20)
    services.record_law_change(
        law_name=FOOD_LAW, effective_on=effective, actor=ctx.users.get("market_head"),
        description="修正：第一百二十二条至第一百二十六条罚款数额调整（演示数据）。", document="主席令（演示）",
    )
    item = (
        Item.objects.filter(agency=ctx.agencies["云岭县市场监督管理局"], versions__law_name=FOOD_LAW,
                            versions__valid_to__isnull=True, versions__valid_from__lt=effective)
        .order_by("code").first()
    )
    if item is not None:
        catalog_services.revise_item(item, {}, None, effective, "《中华人民共和国食品安全法》修正")

    # The comprehensive enforcement bureau took over powers 45 days ago: its guides (written
    # before) and its duty text had 20 working days to be updated.
    services.record_duty_change(
        agency=ctx.agencies["云岭县综合行政执法局"], effective_on=today - datetime.timedelta(days=45),
        description="划入住房城乡建设领域建筑垃圾、扬尘污染等行政处罚权（演示数据）。", document="云编发〔2026〕12号",
        actor=None,
    )
