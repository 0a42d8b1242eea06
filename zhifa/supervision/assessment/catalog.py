"""The indicator system as data: the Shaanxi 三项制度 indicator CSV shipped with the code
(``data/shaanxi-three-systems-indicators.csv``: 170 indicators, 100 points, extracted from the
Yanta demonstration plan) read, checked and loaded into ``Indicator`` (by the data migration and by
``zhifa load_indicators``)."""

import csv
from decimal import Decimal
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent / "data" / "shaanxi-three-systems-indicators.csv"
TOTAL_POINTS = Decimal(100)


def read_rows(path: Path = CSV_PATH) -> list[dict]:
    """The CSV's rows with decimal points, checked: numbers 1…n without gaps, the indicators of
    each requirement summing to its points, the requirements of each level-2 heading to its
    points, level-2 to level-1, and level-1 to 100."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    result = []
    for index, row in enumerate(rows, start=1):
        item = {
            "number": int(row["no"]), "level1": row["level1"].strip(), "level1_points": Decimal(row["level1_points"]),
            "level2": row["level2"].strip(), "level2_points": Decimal(row["level2_points"]),
            "requirement": row["requirement"].strip(), "requirement_points": Decimal(row["requirement_points"]),
            "text": row["indicator"].strip(), "points": Decimal(row["points"]),
        }
        if item["number"] != index:
            raise ValueError(f"指标序号不连续：第{index}行为{item['number']}")
        result.append(item)
    _check_sums(result)
    return result


def _check_sums(rows: list[dict]) -> None:
    def group(key_fields, points_field, child_sum):
        sums: dict = {}
        declared: dict = {}
        for row in rows:
            key = tuple(row[f] for f in key_fields)
            declared[key] = row[points_field]
            sums[key] = child_sum(sums.get(key), row)
        return sums, declared

    requirement_sums, requirement_points = group(("level1", "level2", "requirement"), "requirement_points",
                                                 lambda acc, row: (acc or 0) + row["points"])
    for key, total in requirement_sums.items():
        if total != requirement_points[key]:
            raise ValueError(f"工作要求“{key[2][:20]}”的指标分值合计{total}，与其分值{requirement_points[key]}不符")
    level2 = {}
    for (l1, l2, _req), points in requirement_points.items():
        level2[(l1, l2)] = level2.get((l1, l2), 0) + points
    for row in rows:
        if level2[(row["level1"], row["level2"])] != row["level2_points"]:
            raise ValueError(f"二级指标“{row['level2']}”的分值合计与其分值不符")
    level1: dict = {}
    for (l1, _l2), points in level2.items():
        level1[l1] = level1.get(l1, 0) + points
    for row in rows:
        if level1[row["level1"]] != row["level1_points"]:
            raise ValueError(f"一级指标“{row['level1']}”的分值合计与其分值不符")
    if sum(level1.values()) != TOTAL_POINTS:
        raise ValueError(f"指标体系总分为{sum(level1.values())}，应为100分")


def load(indicator_model, *, using: str = "default") -> int:
    """Create or update every indicator (idempotent) in database ``using``; returns the number of rows."""
    rows = read_rows()
    for row in rows:
        number = row.pop("number")
        indicator_model.objects.using(using).update_or_create(number=number, defaults=row)
    return len(rows)
