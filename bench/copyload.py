"""Bulk loading for the bench data sets: rows spooled to temporary files in PostgreSQL's COPY
text format and loaded with COPY (psycopg 3), in the models' column order."""

from __future__ import annotations

from datetime import datetime


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def vacuum_analyze(url: str) -> None:
    """The planner's statistics and the visibility map, as autovacuum keeps them on a production
    server (it may be off on a bench or CI machine): a fresh load has no statistics (estimates of
    2 rows for 860), and without the map the deep pages' index-only walk visits the heap (the
    last page of 130 000 projects: 230-320 ms, 77-121 ms after VACUUM)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def copy(cur, model, rows, progress=None, every=10000) -> int:
    """COPY `rows` (tuples in concrete-field order) into `model`'s table."""
    cols = ", ".join(f'"{c}"' for c in columns(model))
    n = 0
    with cur.copy(f'COPY "{model._meta.db_table}" ({cols}) FROM STDIN') as cp:
        for row in rows:
            cp.write_row(row)
            n += 1
            if progress and n % every == 0:
                progress.advance(every)
    return n


def _text(v) -> str:
    if v is None:
        return "\\N"
    if v is True:
        return "t"
    if v is False:
        return "f"
    if isinstance(v, datetime):
        return v.isoformat()
    return str(v)


def by_name(model, values: dict) -> tuple:
    """A row in concrete-field order from `values` keyed by column; other columns get the
    field's default (blank text, or NULL)."""
    out = []
    for f in model._meta.concrete_fields:
        if f.column in values:
            out.append(values[f.column])
        elif f.has_default():
            out.append(f.get_default())
        else:
            out.append("" if (f.blank and not f.null) else None)
    return tuple(out)


class Spool(list):
    """Rows of one table spooled to a temporary file in COPY text format (keeps memory flat)."""

    def __init__(self, model):
        import tempfile

        super().__init__()
        self.model = model
        self.fh = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.n = 0

    def append(self, row) -> None:
        if isinstance(row, dict):  # by field name: fields added to the model later get defaults
            row = by_name(self.model, row)
        elif len(row) != len(self.model._meta.concrete_fields):
            raise ValueError(f"{self.model.__name__}: {len(row)} values for {columns(self.model)}")
        self.fh.write("\t".join(_text(v) for v in row) + "\n")
        self.n += 1

    def __len__(self) -> int:
        return self.n

    def __iadd__(self, rows):
        for r in rows:
            self.append(r)
        return self

    def load(self, cur, progress=None) -> int:
        cols = ", ".join(f'"{c}"' for c in columns(self.model))
        self.fh.seek(0)
        with cur.copy(f'COPY "{self.model._meta.db_table}" ({cols}) FROM STDIN') as cp:
            while block := self.fh.read(1 << 20):
                cp.write(block)
                if progress:
                    progress.advance(block.count("\n"))
        self.fh.close()
        return self.n
