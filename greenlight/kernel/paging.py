"""Pages of long lists: a shallow page in one query (the rows with their joins, `LIMIT`/`OFFSET`
on the list's ordering), a deep one in two, the page's ids by the ordering alone (an index walk,
cheap however deep the page), then only those rows with their joins. An `OFFSET` over the joined
rows reads and joins every row before the page (0.56 s for the last page of 130 000 projects; the
ids alone take ~0.1 s with the ordering's index), while for the first pages, which are most of
what people open, the second statement costs more than the rows it skips: building and compiling
a `pk IN (…50 ids…)` query took 1.9 ms of CPU against 1.3 ms for running it. A deep page in the
back half reads its ids by the reversed ordering from the end: an ordering no index serves with
the list's filter is sorted, and a sort keeps only the rows up to the page's end."""

from __future__ import annotations


class IdsFirst:
    """A queryset as Django's Paginator and ninja's pagination see it: `count()`, `len()` and
    slicing; a slice is the page's rows in the queryset's order: model instances, or with
    `values` (names for `.values()`, `pk` or `id` among them) plain dicts, each passed through
    `row` when given (kernel/rows.py builds API rows so). The queryset gives each row once (as
    its `count()` already assumes). A page starting before `direct_below` rows is read in one
    query, a deeper one ids first."""

    ordered = True  # the Paginator's check: the queryset's own ordering applies
    direct_below = 1000

    def __init__(self, queryset, *, values: list[str] | None = None, row=None, count=None):
        self.queryset = queryset
        self.values = values
        self.row = row
        self._count: int | None = count  # counted once (a deep page and the answer both ask)

    def count(self) -> int:
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def all(self):
        return self

    def __iter__(self):
        return iter(self.queryset)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self.queryset[index]
        if (index.start or 0) < self.direct_below:
            rows = self.queryset if self.values is None else self.queryset.values(*self.values)
            ordered = list(rows[index])
        else:
            ordered = self._ids_first(index)
        return ordered if self.row is None else [self.row(r) for r in ordered]

    def _ids_first(self, index: slice) -> list:
        start, stop = index.start or 0, index.stop
        total = self.count()
        ids = self._page_ids(start, stop, total)
        page = self.queryset.filter(pk__in=ids).order_by()
        if self.values is None:
            rows = {row.pk: row for row in page}
        else:
            key = "pk" if "pk" in self.values else "id"
            rows = {row[key]: row for row in page.values(*self.values)}
        return [rows[pk] for pk in ids if pk in rows]

    def _page_ids(self, start: int, stop: int | None, total: int) -> list:
        if stop is not None and start >= total - start and self.queryset.ordered:
            # the back half: the ordering reversed from the end, then turned round. An ordering
            # the database cannot walk by an index (or not with the list's filter) is sorted
            # whole, and a sort keeps only the first rows up to the page's end: the last page of
            # 260 000 tickets took 360-580 ms forward against ~60 ms so
            return list(
                self.queryset.reverse().values_list("pk", flat=True)[
                    max(total - stop, 0) : max(total - start, 0)
                ]
            )[::-1]
        return list(self.queryset.values_list("pk", flat=True)[start:stop])
