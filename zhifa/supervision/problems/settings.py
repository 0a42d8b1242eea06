"""Changing a problem model without code: a region's switch and thresholds (``RegionSetting``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhifa.core.scoping import ensure_in_scope, region_part, user_scope_path

from ..models import RegionSetting
from .registry import get_check


def validate_params(problem_model, params: dict) -> dict:
    """Thresholds must be known keys of the model with numeric values (periods, amounts, ratios)."""
    known = set(get_check(problem_model.code).params) | {"yellow_after_days", "red_after_days"}
    clean = {}
    for key, value in (params or {}).items():
        if key not in known:
            raise ValidationError({"params": f"“{key}”不是该模型的阈值参数（可设置：{'、'.join(sorted(known))}）。"})
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError({"params": f"阈值“{key}”必须是数字。"}) from None
        if number < 0:
            raise ValidationError({"params": f"阈值“{key}”不能为负数。"})
        clean[key] = int(number) if number == int(number) else number
    return clean


@transaction.atomic
def set_region_setting(problem_model, actor, *, region, enabled: bool, params: dict) -> RegionSetting:
    """Switch ``problem_model`` on or off and set its thresholds for ``region`` and below.
    Only a supervisor, for a region on or below their own."""
    if not actor.has_capability("alerts", "models"):
        raise PermissionDenied("您的角色不能设置问题模型。")
    path = user_scope_path(actor)
    if path is None or (path and not region.path.startswith(region_part(path))):
        raise PermissionDenied("只能设置本人监督区域及其下级区域的问题模型。")
    row, _ = RegionSetting.objects.update_or_create(
        problem_model=problem_model, region=region,
        defaults={"enabled": enabled, "params": validate_params(problem_model, params), "updated_by": actor})
    ensure_in_scope(row, actor)
    return row
