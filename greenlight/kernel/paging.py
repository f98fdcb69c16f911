"""Pages of long lists: a shallow page in one query (the rows with their joins, `LIMIT`/`OFFSET`
on the list's ordering), a deep one in two, the page's ids by the ordering alone (an index walk,
cheap however deep the page), then only those rows with their joins. An `OFFSET` over the joined
rows reads and joins every row before the page (0.56 s for the last page of 130 000 projects; the
ids alone take ~0.1 s with the ordering's index), while for the first pages, which are most of
what people open, the second statement costs more than the rows it skips: building and compiling
a `pk IN (…50 ids…)` query took 1.9 ms of CPU against 1.3 ms for running it."""

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

    def __init__(self, queryset, *, values: list[str] | None = None, row=None):
        self.queryset = queryset
        self.values = values
        self.row = row

    def count(self) -> int:
        return self.queryset.count()

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
        ids = list(self.queryset.values_list("pk", flat=True)[index])
        page = self.queryset.filter(pk__in=ids).order_by()
        if self.values is None:
            rows = {row.pk: row for row in page}
        else:
            key = "pk" if "pk" in self.values else "id"
            rows = {row[key]: row for row in page.values(*self.values)}
        return [rows[pk] for pk in ids if pk in rows]
