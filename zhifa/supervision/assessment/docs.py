"""``docs/indicators.md``'s table of the 170 indicators, generated from the CSV, the registry of
computed indicators and the reasons of the evidenced ones (a test compares the file with this
output, so the documentation cannot drift from the code). Regenerate with
``python -m zhifa.supervision.assessment.docs > docs/indicators.md`` (Django settings loaded)."""

from .catalog import read_rows
from .indicators import REGISTRY
from .reasons import EVIDENCE_REASONS

HEAD = """# 三项制度考评指标（170项）及评分方式

陕西省行政执法“三项制度”考评指标体系（100分），随代码保存在
`zhifa/supervision/assessment/data/shaanxi-three-systems-indicators.csv`，由数据迁移载入 `Indicator`。
每项指标的评分方式：

- **计算**（{computed}项）：平台按下表规则从本平台数据计算，考评页面显示计算结果、规则和所依据的案件、人员清单；
  计算函数在 `zhifa/supervision/assessment/indicators.py`，以序号登记。比率类指标得分 = 分值 × 比率；
  有法定下限的（5%、50%、20%）达到下限得满分，不足按比率÷下限得分；“有/无”类指标有则满分。
  无可计算的数据（例如本年度没有应公示的决定）时不给计算得分，由被考评单位自评、监督机关评分。
- **佐证**（{evidenced}项）：被考评单位上传佐证材料并自评，监督机关逐项评分并写明理由；下表说明平台为什么不能计算。

本文件由 `python -m zhifa.supervision.assessment.docs` 生成，测试比对其内容。

| 序号 | 一级指标 | 二级指标 | 考评标准 | 分值 | 方式 | 计算规则或不能计算的原因 |
|---|---|---|---|---|---|---|
"""


def _cell(text: str) -> str:
    return str(text).replace("|", "｜").replace("\n", " ")


def indicators_markdown() -> str:
    lines = [HEAD.format(computed=len(REGISTRY), evidenced=170 - len(REGISTRY))]
    for row in read_rows():
        number = row["number"]
        if number in REGISTRY:
            method, text = "计算", REGISTRY[number].rule
        else:
            method, text = "佐证", EVIDENCE_REASONS.get(number, "")
        lines.append(f"| {number} | {_cell(row['level1'])} | {_cell(row['level2'])} | {_cell(row['text'])} | "
                     f"{row['points']} | {method} | {_cell(text)} |\n")
    return "".join(lines)


if __name__ == "__main__":  # pragma: no cover
    import django

    django.setup()
    print(indicators_markdown(), end="")
