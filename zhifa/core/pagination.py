"""Pages of a list without an exact COUNT(*) over the whole scope (issue #14).

A city supervisor's case list spans a million rows; counting them exactly on every page
cost more than reading the page. ``CappedPaginator`` counts at most ``COUNT_CAP + 1`` rows
(``SELECT COUNT(*) FROM (… LIMIT 1001)``, which stops early), shows "1,000+" beyond, and
knows whether a next page exists by reading one row more than the page — so a page costs two
bounded queries whatever the table's size. Pages past the cap stay reachable one by one.
The HTML lists (``core.views.ObjectListView``) and the API (``core.api.base.Pagination``) share it.
"""

import math

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property

COUNT_CAP = 1000


def capped_count(rows, cap: int) -> tuple[int, bool]:
    """``(count, more)``: the rows of a queryset counted up to ``cap`` (``SELECT COUNT(*) FROM
    (… LIMIT cap + 1)``, unordered so the count may read any index), and whether there are more."""
    counted = rows.order_by()[: cap + 1].count()
    return min(counted, cap), counted > cap


def counted_as(page_rows, counted):
    """``page_rows`` (a queryset the page is read from), counted as ``counted`` instead."""
    page_rows.counted = counted
    return page_rows


class CappedPage(Page):
    """A page that knows from its own read whether another follows."""

    def __init__(self, object_list, number, paginator, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class CappedPaginator(Paginator):
    """A ``Paginator`` whose ``count`` is exact up to ``cap`` and ``cap`` with ``count_capped`` beyond."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        # A page read as ``values()`` across joins (the case API's list) would count through those
        # joins too; it names the queryset to count instead as ``counted`` (see ``counted_as``).
        rows = getattr(self.object_list, "counted", self.object_list)
        if hasattr(rows, "query"):
            count, self._capped = capped_count(rows, self.cap)
            return count
        self._capped = len(rows) > self.cap
        return min(len(rows), self.cap)

    @property
    def count_capped(self) -> bool:
        """More rows exist than ``count`` says."""
        return self.count >= self.cap and self._capped

    @property
    def count_label(self) -> str:
        """The count as shown: "1,234" or "1,000+"."""
        return f"{self.count:,}+" if self.count_capped else f"{self.count:,}"

    @cached_property
    def num_pages(self) -> int:
        if self.count == 0:
            return 1 if self.allow_empty_first_page else 0
        return math.ceil(self.count / self.per_page)

    def validate_number(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("页码不是整数。") from None
        if number < 1:
            raise EmptyPage("页码小于 1。")
        if number > self.num_pages and not self.count_capped:
            if number == 1 and self.allow_empty_first_page:
                return number
            raise EmptyPage("该页没有记录。")
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom: bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("该页没有记录。")
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)
