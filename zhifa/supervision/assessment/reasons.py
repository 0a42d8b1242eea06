"""Why each indicator the platform does not compute is scored on evidence (佐证材料评分): the
facts it asks about are not data the platform holds (a rule the agency adopted, conduct on site,
budgets, hall signage …). Shown beside the indicator and in
``docs/indicators.md``; a number listed in ``indicators.REGISTRY`` is never listed here."""

RULE_DOCUMENT = "考评对象是本机关制定或执行的规定、制度文本，平台不保存规范性文件，须上传文件由监督机关评分。"
ON_SITE = "考评对象是现场执法行为（出示证件、着装、文明规范），平台只记录办案环节，须以检查记录、音像抽查等佐证。"
CONTENT_QUALITY = "考评对象是公开内容或文书的质量（准确、通俗、合法），须由监督机关审阅评定，不宜由数据计算。"
SERVICE_HALL = "考评对象是政务服务大厅、窗口的设置，平台不掌握线下场所情况，须上传照片等佐证。"
USE_OF_RECORDS = "考评对象是执法记录在评议考核、舆情、决策、信用等平台外工作中的运用，须上传工作材料佐证。"
PLATFORM_BUILT = "考评对象是信息系统建设和数据共享工作，平台本身即为佐证，由监督机关依据建设运行情况评分。"
AI = ("平台的分析模块（insight）提供相似案例、适用法条、裁量档次建议和决定书草稿，但不记录执法人员是否采用、"
      "效果如何，也不掌握立法、决策中的运用，须上传使用情况材料由监督机关评分。")
LEADERSHIP = "考评对象是领导部署、考核、通报、问责等组织工作，平台无相应数据，须上传会议纪要、文件等佐证。"
FUNDING = "考评对象是经费、待遇、保险和抚恤保障，平台不掌握财政和人事数据，须上传预算、文件等佐证。"
REVIEW_QUALITY = "考评对象是审核意见、研究意见的质量或现场指导，须由监督机关审阅审核意见书评定。"
EQUIPMENT = ("平台登记执法装备（执法记录仪、执法终端）和询问是否在询问室进行，但不登记询问室、听证室的建设和音像设施，"
             "须上传场所照片、验收材料佐证。")
ACCOUNTABILITY = "追责问责决定由纪检监察和人事部门作出，平台不保存，须上传处理文件佐证。"

_GROUPS = {
    RULE_DOCUMENT: [1, 2, 40, 42, 45, 46, 47, 51, 52, 55, 56, 60, 61, 62, 66, 72, 73, 83, 89, 110, 111, 141, 144, 148,
                    146, 149],
    ON_SITE: [24, 25, 26, 27, 28, 54, 59, 63],
    CONTENT_QUALITY: [5, 6, 7, 8, 13, 14, 15, 16, 17, 18, 19, 20, 38, 39, 48, 49, 50, 67],
    SERVICE_HALL: [29, 30, 31, 32, 33, 34, 35],
    USE_OF_RECORDS: [71, 76, 77, 78, 79, 80, 81, 82],
    PLATFORM_BUILT: [11, 44, 70, 113, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 165],
    AI: [126, 127, 128, 129, 130, 131, 132, 133, 134, 135],
    LEADERSHIP: [109, 136, 137, 138, 139, 140, 142, 143, 150, 151, 152, 153, 154, 155, 157, 167],
    FUNDING: [158, 159, 160, 161, 168, 169, 170],
    REVIEW_QUALITY: [92, 93, 94, 105, 107],
    EQUIPMENT: [65],
    ACCOUNTABILITY: [112],
}

EVIDENCE_REASONS: dict[int, str] = {number: reason for reason, numbers in _GROUPS.items() for number in numbers}
