"""Several short reads in one statement, compiled once per process.

A page like the customer dashboard shows a dozen short lists, each a bounded, indexed query. Run
one by one, Django spends more time building each query's SQL than the database spends answering
it. A Bundle turns its parts (ordinary querysets, built from stand-in ids) into one statement the
first time a combination of parts is read: each part becomes a common table expression returned as
a JSON array. Afterwards a read only binds the real ids and makes one round trip.

Every part must use every id the bundle binds, so a part that forgets the provider cannot be
declared. Rows come back as model instances (all concrete fields, one level of related objects,
and annotations as attributes) or, for a values_list() part, as tuples; in the order the part's
queryset gives.
"""

import datetime as dt
import json
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

# Stand-in ids: values no real row has, found again among the compiled parameters.
_STAND_IN = -8_000_000_000_000_000_000
# Stand-in instants (a bundle's `instants`, e.g. "as of" reads): moments no real row is dated at.
_STAND_IN_AT = dt.datetime(1901, 2, 3, 4, 5, 6, 700_000, tzinfo=dt.UTC)
# A part's columns are the arguments of one JSON function: PostgreSQL takes at most 100.
MAX_COLUMNS = 100


@dataclass(frozen=True)
class Part:
    """One read of a bundle. `query` takes the bundle's ids as keyword arguments and returns an
    ordered, sliced queryset. `related` names forward relations to load with each row (as
    select_related would) and `annotations` the annotations to keep as attributes."""

    query: Callable[..., models.QuerySet[Any, Any]]
    related: tuple[str, ...] = ()
    annotations: tuple[str, ...] = ()


class Bundle:
    """Named parts over the same ids (`ids`, e.g. the provider's and the customer's), read together."""

    def __init__(
        self, *, ids: tuple[str, ...], parts: dict[str, Part], instants: tuple[str, ...] = ()
    ) -> None:
        """`instants` name aware datetimes bound like the ids (a part's query takes them as keyword
        arguments too); a part need not use them."""
        self.ids = ids
        self.instants = instants
        self.parts = parts
        self._compiled: dict[tuple[str, tuple[str, ...]], _Statement] = {}
        self._lock = threading.Lock()

    def read(self, names: Iterable[str], *, using: str = "default", **ids: Any) -> dict[str, list[Any]]:
        """The rows of each named part, keyed by name, in one statement."""
        key = (using, tuple(sorted(names)))
        statement = self._compiled.get(key)
        if statement is None:
            with self._lock:
                statement = self._compiled.get(key) or self._compile(key[1], using)
                self._compiled[key] = statement
        return statement.run(ids)

    def _compile(self, names: tuple[str, ...], using: str) -> "_Statement":
        connection = connections[using]
        stand_ins = {name: _STAND_IN - i for i, name in enumerate(self.ids)}
        at_stand_ins = {
            name: _STAND_IN_AT + dt.timedelta(microseconds=i) for i, name in enumerate(self.instants)
        }
        readers = [
            _Reader.build(name, self.parts[name], stand_ins, connection, at_stand_ins) for name in names
        ]
        ctes = ", ".join(f"b{i}({r.column_list}) AS ({r.sql})" for i, r in enumerate(readers))
        aggregates = ", ".join(f"({_aggregate(connection, r, f'b{i}')})" for i, r in enumerate(readers))
        params = [p for r in readers for p in r.params]
        adapted = {name: connection.ops.adapt_datetimefield_value(v) for name, v in at_stand_ins.items()}
        slots = [
            (pos, name)
            for pos, p in enumerate(params)
            for name, v in {**stand_ins, **adapted}.items()
            if p == v
        ]
        return _Statement(
            f"WITH {ctes} SELECT {aggregates}", params, slots, readers, using, frozenset(self.instants)
        )


def _aggregate(connection: BaseDatabaseWrapper, reader: "_Reader", table: str) -> str:
    """The part's rows as one JSON text: an array of arrays, [] when there are none."""
    if connection.vendor == "postgresql":
        columns = ", ".join(reader.column_names)
        return f"SELECT COALESCE(json_agg(json_build_array({columns})), '[]')::text FROM {table}"
    if connection.vendor == "sqlite":
        # JSON columns are stored as text in SQLite: json() keeps them JSON inside the array.
        columns = ", ".join(
            f"json({c})" if f.get_internal_type() == "JSONField" else c
            for c, f in zip(reader.column_names, reader.fields, strict=True)
        )
        return f"SELECT json_group_array(json_array({columns})) FROM {table}"
    raise NotImplementedError(f"no bundled reads on {connection.vendor}")


@dataclass
class _Statement:
    sql: str
    params: list[Any]
    slots: list[tuple[int, str]]
    readers: list["_Reader"]
    using: str
    instants: frozenset[str] = frozenset()

    def run(self, ids: dict[str, Any]) -> dict[str, list[Any]]:
        params = list(self.params)
        ops = connections[self.using].ops
        for position, name in self.slots:
            value = ids[name]
            params[position] = ops.adapt_datetimefield_value(value) if name in self.instants else value
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        assert row is not None  # an aggregate always gives one row
        return {
            r.name: r.rows(json.loads(text, parse_float=Decimal), self.using)
            for r, text in zip(self.readers, row, strict=True)
        }


@dataclass
class _Reader:
    name: str
    sql: str
    params: list[Any]
    fields: list[models.Field[Any, Any]]
    model: type[models.Model] | None  # None: a values_list() part, read as tuples
    related: list[tuple[Any, int, int]]  # relation, first and last column of its fields
    annotations: tuple[str, ...]
    ordering: list[tuple[str, bool]]  # attribute, descending

    @property
    def column_names(self) -> list[str]:
        return [f"c{i}" for i in range(len(self.fields))]

    @property
    def column_list(self) -> str:
        return ", ".join(self.column_names)

    @classmethod
    def build(
        cls,
        name: str,
        part: Part,
        stand_ins: dict[str, int],
        connection: BaseDatabaseWrapper,
        instants: dict[str, dt.datetime] | None = None,
    ) -> "_Reader":
        qs = part.query(**stand_ins, **(instants or {}))
        model: type[models.Model] | None = None
        related: list[tuple[Any, int, int]] = []
        ordering: list[tuple[str, bool]] = []
        columns: list[str] = []
        # A model queryset: read its concrete fields, then the related ones.
        if qs._fields is None:  # type: ignore[attr-defined]
            model = qs.model
            columns = [f.attname for f in model._meta.concrete_fields]
            for relation in part.related:
                field = model._meta.get_field(relation)
                start = len(columns)
                columns += [f"{relation}__{f.attname}" for f in field.related_model._meta.concrete_fields]
                related.append((field, start, len(columns)))
            ordering = _ordering(qs)
            qs = qs.values_list(*columns, *part.annotations)
        compiler = qs.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        query = qs.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        if model is not None and names != [*columns, *part.annotations]:
            raise ValueError(f"bundle part {name!r}: its columns came back in another order")
        fields = [expression.output_field for expression, _, _ in compiler.select]
        if len(fields) > MAX_COLUMNS:
            raise ValueError(f"bundle part {name!r} reads {len(fields)} columns, more than {MAX_COLUMNS}")
        missing = [n for n, v in stand_ins.items() if v not in params]
        if missing:
            raise ValueError(f"bundle part {name!r} does not filter on {', '.join(missing)}")
        return cls(name, sql, list(params), fields, model, related, part.annotations, ordering)

    def rows(self, data: list[list[Any]], using: str) -> list[Any]:
        values = [[_convert(f, v) for f, v in zip(self.fields, row, strict=True)] for row in data]
        if self.model is None:
            return [tuple(v) for v in values]
        instances = [self._instance(v, using) for v in values]
        for attribute, descending in reversed(self.ordering):  # stable sorts, last key first
            instances.sort(key=lambda obj, a=attribute: getattr(obj, a), reverse=descending)  # type: ignore[misc]
        return instances

    def _instance(self, values: list[Any], using: str) -> models.Model:
        assert self.model is not None
        concrete = len(self.model._meta.concrete_fields)
        obj = self.model.from_db(using, None, values[:concrete])  # type: ignore[arg-type]
        for field, start, end in self.related:
            related_model = field.related_model
            pk_index = related_model._meta.concrete_fields.index(related_model._meta.pk)
            related = None
            if values[start + pk_index] is not None:  # a null relation comes back as all nulls
                related = related_model.from_db(using, None, values[start:end])
            field.set_cached_value(obj, related)
        offset = len(values) - len(self.annotations)
        for name, value in zip(self.annotations, values[offset:], strict=True):
            setattr(obj, name, value)
        return obj


def _ordering(qs: models.QuerySet[Any, Any]) -> list[tuple[str, bool]]:
    """The queryset's ordering as attributes to sort the part's rows by again, as a guarantee: an
    aggregate is not bound to keep the order its rows were selected in (both databases do in
    practice). Python orders numbers, dates and flags as the databases do, but not text (collations)
    nor NULLs (each database puts them elsewhere): an ordering on those is left to the database."""
    meta = qs.model._meta
    result: list[tuple[str, bool]] = []
    for item in qs.query.order_by or meta.ordering:
        if not isinstance(item, str) or "__" in item:
            raise ValueError(f"bundle parts order by plain field names, not {item!r}")
        field = meta.pk if item.lstrip("-") == "pk" else meta.get_field(item.lstrip("-"))
        if field.null or not isinstance(field, _PYTHON_ORDERED):
            return []
        result.append((field.attname, item.startswith("-")))
    return result


_PYTHON_ORDERED = (
    models.IntegerField,  # and the ids
    models.DateField,  # and DateTimeField
    models.DecimalField,
    models.BooleanField,
    models.ForeignKey,
)


def _convert(field: models.Field[Any, Any], value: Any) -> Any:
    """A JSON value back to the field's Python type (both databases write dates as ISO text)."""
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        parsed = dt.datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    if kind == "DateField":
        return dt.date.fromisoformat(value[:10])
    if kind == "DecimalField":
        places = cast("models.DecimalField[Any, Any]", field).decimal_places
        return Decimal(value).quantize(Decimal(1).scaleb(-places))
    if kind == "BooleanField":
        return bool(value)
    if kind == "UUIDField":
        return uuid.UUID(value)
    if kind in ("TimeField", "DurationField", "BinaryField"):
        raise ValueError(f"bundle parts cannot read a {kind}")
    return value
