"""Workbench card and alerts of the catalog."""

from django.urls import reverse
from django.utils import timezone

from zhifa.core.dashboard import register_alerts, register_card

from . import choices
from .models import Benchmark, Item

register_card(
    "执法事项", "catalog:item_list",
    lambda user: Item.objects.restrict(user).filter(status=choices.IN_FORCE), "catalog",
)
register_card(
    "裁量基准", "catalog:benchmark_list",
    lambda user: Benchmark.objects.restrict(user).filter(valid_to__isnull=True), "catalog",
)


@register_alerts
def benchmarks_due_for_review(user):
    """Current benchmarks whose review date (复审日期) has passed, for users who may change them."""
    if not user.has_capability("catalog", "change"):
        return []
    today = timezone.localdate()
    overdue = Benchmark.objects.restrict(user, "change").filter(valid_to__isnull=True, review_due__lt=today)
    count = overdue.count()
    if not count:
        return []
    url = reverse("catalog:benchmark_list") + f"?current=true&review_before={today:%Y-%m-%d}"
    return [{"text": f"有{count}个裁量基准已超过复审日期，请及时评估修订。", "url": url}]
