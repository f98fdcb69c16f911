"""A list's statements compiled once per what they depend on, then run again as they are.

Building a list's queryset for the caller and compiling its statements (the page and the
count) was the largest share of an API list's CPU: for a page of 50 projects 0.8 of 1.9 ms,
more than reading and encoding the rows. The statements depend only on the builder's arguments
(the filters) and on the few attributes of the user it reads (role, region, organization, …),
and every coordinator of a district reads the same ones. `Memo` runs the builder once with a
stand-in user that notes each attribute read and its value, compiles the statements, and keeps
them under those values; a later caller whose attributes at the same places have the same values
gets the same statements, because the builder, reading the same values, builds the same query
(it must be a function of its arguments and of what it reads of the user: no clock, no query of
its own; a builder that queries, or reads a method or an unknown kind of value from the user,
is never memoized and runs as before). The statements are the ORM's own, run through the
connection's cursor (query counting and logging see them), their rows through the ORM's
converters. A statement is also built the plain way when first kept, and never kept when the
two differ; with `MEMO_CHECK` on (the tests) every run builds it the plain way too and fails
loudly on any difference, so the whole suite, the isolation matrix included, checks the memo.
A detail's statement takes the row's id as a parameter (`slots`): compiled once with a stand-in
id, it serves every id of the same user scope.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import QuerySet
from django.utils import timezone, translation

from .paging import IdsFirst

PLAIN = (type(None), bool, int, str)


class NotMemoized(Exception):
    """The builder read something the memo cannot key on, or queried the database."""


class _Reads:
    """The user as the builder sees it, noting every attribute read: (path, value) for a plain
    value, (path, (model label, pk)) for a related row, read on through another stand-in."""

    __slots__ = ("_obj", "_path", "_reads")

    def __init__(self, obj, path: tuple[str, ...], reads: list):
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_reads", reads)

    def __getattr__(self, name: str):
        path = (*self._path, name)
        _state.reading_user = True  # a relation of the user loads here: not the builder's query
        try:
            value = getattr(self._obj, name)
        except AttributeError:
            self._reads.append((path, _MISSING))  # `getattr(user, name, default)` is a read too
            raise
        finally:
            _state.reading_user = False
        if isinstance(value, PLAIN):  # enums of str are str
            self._reads.append((path, value))
            return value
        if isinstance(value, models.Model):
            self._reads.append((path, (value._meta.label, value.pk)))
            return _Reads(value, path, self._reads)
        raise NotMemoized(".".join(path))

    def __setattr__(self, name, value):
        raise NotMemoized(f"{'.'.join(self._path)}.{name} set")


def _value_at(obj, path: tuple[str, ...]):
    for name in path:
        if obj is None:
            return _MISSING
        obj = getattr(obj, name, _MISSING)
        if obj is _MISSING:
            return _MISSING
    if isinstance(obj, models.Model):
        return (obj._meta.label, obj.pk)
    return obj


_MISSING = object()


@dataclass
class _Statement:
    """One compiled statement: its SQL and parameters, and how its rows become `.values()`
    dicts (names and the ORM's converters); `empty` when the ORM found it matches nothing."""

    alias: str = ""
    sql: str = ""
    params: tuple = ()
    names: tuple = ()
    compiler: object = None
    converters: dict | None = None
    empty: bool = False
    slots: tuple = ()  # (index among params, argument name): a call's own value goes there

    def bind(self, args: dict) -> tuple:
        if not self.slots:
            return self.params
        params = list(self.params)
        for i, name in self.slots:
            params[i] = args[name]
        return tuple(params)

    def same(self, plain: _Statement, args: dict) -> bool:
        """Whether `plain`, built for `args` the ORM's way, is this statement run for them."""
        return (self.sql, self.bind(args), self.empty) == (plain.sql, plain.params, plain.empty)

    def rows(self, args: dict) -> list[dict]:
        if self.empty:
            return []
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, self.bind(args))
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        return [dict(zip(self.names, row, strict=True)) for row in rows]

    def scalar(self, args: dict) -> int:
        if self.empty:
            return 0
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, self.bind(args))
            return cursor.fetchone()[0]


def _values_statement(queryset: QuerySet) -> _Statement:
    query = queryset.query
    compiler = query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Statement(queryset.db, empty=True)
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    fields = [col[0] for col in compiler.select[: compiler.col_count]]
    converters = compiler.get_converters(fields)
    return _Statement(queryset.db, sql, tuple(params), names, compiler, converters)


class _Caught(Exception):
    """The statement the ORM was about to run, stopped before it ran."""


def _count_statement(queryset: QuerySet) -> _Statement:
    """`queryset.count()` as the ORM compiles it (`get_aggregation` builds the statement and
    runs it at once): stopped in the connection's wrapper before it runs, and not logged."""
    caught: list = []

    def catch(execute, sql, params, many, context):
        caught.append((sql, tuple(params or ())))
        raise _Caught

    connection = connections[queryset.db]
    logged, connection.force_debug_cursor = connection.force_debug_cursor, False
    try:
        with connection.execute_wrapper(catch):
            queryset.count()
    except _Caught:
        pass
    finally:
        connection.force_debug_cursor = logged
    if not caught:
        return _Statement(queryset.db, empty=True)  # the ORM knew it counts nothing
    return _Statement(queryset.db, *caught[0])


class Memo:
    """`Memo(build)`, `build(user=…, **args) -> QuerySet` (args hashable), gives list sources
    whose shallow pages and count run statements compiled once per key, and `rows()`. The
    arguments named in `slots` (ints, such as the id of the row a detail shows) are not part
    of the key: the statement is compiled with a stand-in value and takes each call's own."""

    max_keys = 512  # kept statements per builder; all dropped when full (a new set forms)
    every: weakref.WeakSet[Memo] = weakref.WeakSet()

    def __init__(self, build: Callable[..., QuerySet], *, slots: tuple[str, ...] = ()):
        self.build = build
        self.slots = slots
        self._paths: dict[tuple, None] = {}  # the read paths seen, in the order first seen
        self._kept: dict[tuple, _Statement] = {}
        self._refused: set[tuple] = set()
        self._lock = threading.Lock()
        Memo.every.add(self)

    @classmethod
    def forget_all(cls) -> None:
        """Drop every kept statement (a test starts without another test's)."""
        for memo in list(cls.every):
            with memo._lock:
                memo._paths.clear()
                memo._kept.clear()
                memo._refused.clear()

    def source(self, *, user, values: list[str], row=None, **args) -> MemoSource:
        return MemoSource(self, user, args, values, row)

    def rows(self, *, user, values: list[str], **args) -> list[dict]:
        """The queryset's `.values(*values)` rows for this user and these args."""
        names = tuple(values)

        def every(queryset: QuerySet) -> _Statement:
            return _values_statement(queryset.values(*names))

        kept = self.statement(user, args, ("rows", names), every)
        if kept is None:
            return list(self.build(user=user, **args).values(*names))
        return kept.rows(args)

    # the key: the arguments, the language and zone the ORM may build with, the user's reads
    def _context(self, args: dict) -> tuple:
        return (
            tuple(sorted((k, v) for k, v in args.items() if k not in self.slots)),
            translation.get_language(),
            timezone.get_current_timezone_name(),
        )

    def _refuse(self, context: tuple) -> None:
        with self._lock:
            if len(self._refused) >= self.max_keys:
                self._refused.clear()
            self._refused.add(context)

    def _known(self, user, context: tuple, what: tuple) -> tuple[tuple, _Statement | None]:
        for paths in list(self._paths):
            key = (context, paths, tuple(_value_at(user, path) for path in paths), what)
            kept = self._kept.get(key)
            if kept is not None:
                return key, kept
        return (), None

    def statement(self, user, args: dict, what: tuple, make: Callable) -> _Statement | None:
        """The kept statement `what` (("page", start, stop, names), ("rows", names) or
        ("count",)) for this user and these args, made with `make(queryset)` when new; None
        when not memoizable."""
        context = self._context(args)
        if context in self._refused:
            return None
        key, kept = self._known(user, context, what)
        if kept is not None:
            if getattr(settings, "MEMO_CHECK", False):
                plain = make(self.build(user=user, **args))
                if not kept.same(plain, args):
                    raise AssertionError(
                        f"the memoized statement differs from the built one: {key}"
                    )
            return kept
        reads: list = []
        stand_ins = {name: SLOT_BASE - i for i, name in enumerate(self.slots)}
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_no_queries):
                queryset = self.build(user=_Reads(user, (), reads), **{**args, **stand_ins})
            made = make(queryset)
            if not made.empty:
                made.slots = _slots(made.params, stand_ins)
        except Exception:  # the stand-in not taken for a user, a query, a method, …
            self._refuse(context)  # these arguments are built the plain way from now on
            return None
        if not made.same(make(self.build(user=user, **args)), args):
            self._refuse(context)  # the stand-in was built differently: never kept
            return None
        paths = tuple(dict.fromkeys(path for path, _value in reads))
        values = tuple(_value_at(user, path) for path in paths)
        with self._lock:
            if len(self._kept) >= self.max_keys:
                self._kept.clear()
            self._paths.setdefault(paths, None)
            self._kept[(context, paths, values, what)] = made
        return made


SLOT_BASE = -(2**62) - 7919  # no id is negative: a stand-in value found only where it was put


def _slots(params: tuple, stand_ins: dict) -> tuple:
    """Where each stand-in value went among the parameters: once each, or not memoizable."""
    slots = []
    for name, value in stand_ins.items():
        found = [i for i, p in enumerate(params) if type(p) is int and p == value]
        if len(found) != 1:
            raise NotMemoized(f"{name} is {len(found)} parameters of the statement")
        slots.append((found[0], name))
    return tuple(slots)


def _no_queries(execute, sql, params, many, context):
    if getattr(_state, "reading_user", False):
        return execute(sql, params, many, context)
    raise NotMemoized("the builder queried the database")


_state = threading.local()


class MemoSource:
    """A list source as `IdsFirst` is one (count, slicing to ready rows): a shallow page and
    the count from the memo's statements, a deep page (ids first) or a builder the memo cannot
    key on the plain way."""

    def __init__(self, memo: Memo, user, args: dict, values: list[str], row):
        self.memo, self.user, self.args, self.values, self.row = memo, user, args, values, row
        self._plain: IdsFirst | None = None
        self._count: int | None = None

    def plain(self) -> IdsFirst:
        if self._plain is None:
            queryset = self.memo.build(user=self.user, **self.args)
            self._plain = IdsFirst(queryset, values=self.values, row=self.row, count=self._count)
        return self._plain

    def count(self) -> int:
        if self._count is None:
            if self._plain is not None:  # a deep page counted already
                self._count = self._plain.count()
            else:
                kept = self.memo.statement(self.user, self.args, ("count",), _count_statement)
                self._count = self.plain().count() if kept is None else kept.scalar(self.args)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or (index.start or 0) >= IdsFirst.direct_below:
            self.count()  # from the kept statement; the plain source takes it
            return self.plain()[index]
        start, stop = index.start or 0, index.stop
        names = tuple(self.values)

        def page(queryset: QuerySet) -> _Statement:
            return _values_statement(queryset.values(*names)[start:stop])

        kept = self.memo.statement(self.user, self.args, ("page", start, stop, names), page)
        if kept is None:
            return self.plain()[index]
        rows = kept.rows(self.args)
        return rows if self.row is None else [self.row(r) for r in rows]
