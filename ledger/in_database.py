"""Each record's canonical content made and hashed by PostgreSQL itself: verification's quick pass (ADR 25).

Reading a record's columns out of the database into Python, to make its canonical bytes there, cost more than
anything else verification does: most of it is the rows' and columns' way out of the server, not the hashing.
On PostgreSQL, the canonical text of most kinds of record is made by the query, with the same bytes as
``canonical.canonical_bytes`` makes of ``ledger_document_of`` (sorted keys, no spaces, strings escaped as JSON
escapes them, times in UTC with microseconds and a "Z", dates and uuids as text, integers, ``true``,
``false``, ``null``, stored canonical text as it is, a record's parts in their order), and the database
hashes it and compares it with the entry's SHA-256: only a count comes back. Every JSON value hashed is
stored as its canonical text (``ledger.fields.CanonicalJSONField``) and spliced in as it is; a ``jsonb``
column, which PostgreSQL writes out in its own order and spacing, would leave its kind to Python.

This is a quicker way to the same answer, never the judge: whenever anything disagrees, the stretch is checked
again in Python, record by record, from ``ledger_document_of``, the one definition of what is hashed, and that
check names the problem. The text made here is a one-to-one function of the columns read, so it equals an
entry's hashed bytes only when the columns hold what was hashed. A column of a type not written here
(a float, a decimal, ``jsonb``) leaves its kind to Python. ``tests/ledger/test_in_database.py`` holds the text made here
to ``canonical_bytes`` for every kind of record and for awkward values.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db import connection, models

from ledger import history
from ledger.fields import CanonicalJSONField, stored_field
from ledger.models import Entry, Leaf, LedgerRecord

# A kind of up to this many records is checked in one query, its entries hashed in memory (some 300 MB at
# most); a larger one in stretches (verification.STRETCH), each entry looked up, so that more cores share it.
WHOLE_KIND_MOST = 2_000_000
# PostgreSQL takes at most 100 arguments to a function: concat_ws joins at most 99 members (a kind with more
# is left to Python).
_MOST_MEMBERS = 99


def _quoted(model: type[models.Model], name: str) -> str:
    column = model._meta.get_field(name).column
    return f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(column)}"


def canonical_time(column: str) -> str:
    """A timestamp column as the text canonical_bytes writes (verification._CanonicalTime, which explains the
    bounds); any other time as PostgreSQL writes it, which matches nothing hashed. Names the column four times."""
    return (
        f"CASE WHEN {column} >= '0001-01-01T00:00:00Z' AND {column} < '10000-01-01T00:00:00Z' "
        f"""THEN to_char({column} AT TIME ZONE 'UTC', 'FMYYYY-MM-DD"T"HH24:MI:SS.US"Z"') ELSE ({column})::text END"""
    )


def _value(model: type[models.Model], name: str) -> str | None:
    """The SQL of a column's value as canonical JSON text (never NULL), or None for a type not written here."""
    field = model._meta.get_field(name)
    column = _quoted(model, name)
    if isinstance(field, CanonicalJSONField):
        return f"coalesce({column}, 'null')"
    stored = stored_field(field)
    if isinstance(stored, models.BooleanField):
        return f"CASE WHEN {column} THEN 'true' WHEN NOT {column} THEN 'false' ELSE 'null' END"
    if isinstance(stored, (models.IntegerField, models.AutoField, models.BigAutoField, models.SmallAutoField)):
        return f"coalesce(({column})::text, 'null')"
    if isinstance(stored, models.UUIDField):
        return f"""coalesce('"' || ({column})::text || '"', 'null')"""
    if isinstance(stored, models.DateTimeField):
        return f"""coalesce('"' || {canonical_time(column)} || '"', 'null')"""
    if isinstance(stored, models.DateField):
        # ISO 8601 (PostgreSQL's DateStyle is ISO for Django): date.isoformat's text.
        return f"""coalesce('"' || ({column})::text || '"', 'null')"""
    if isinstance(stored, models.GenericIPAddressField):
        # abbrev() is the address as PostgreSQL writes an inet out, as it is read into Python.
        return f"coalesce(to_json(abbrev({column}))::text, 'null')"
    if isinstance(stored, (models.CharField, models.TextField)):
        return f"coalesce(to_json({column})::text, 'null')"
    return None


def _key(name: str) -> str:
    return json.dumps(name) + ":"


def _joined(members: list[str]) -> str:
    """The members' text joined with commas, skipping those that are NULL (a field hashed only when set)."""
    return f"concat_ws(',', {', '.join(members)})"


class DatabaseDocument:
    """How PostgreSQL writes one kind's canonical content; ``content`` is None when it does not.

    ``content``: the SQL expression of a record's canonical text, but for its outer braces: its members
    (a record's parts among them) joined with commas. ``params``: the constant texts (keys, the kind) it
    names, in order.

    The SQL names only tables and columns of the models, quoted by the database's own ``quote_name``; every
    value (keys, the kind) is a parameter.
    """

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.kind = ""
        self.content: str | None = None
        self.params: list[str] = []
        if connection.vendor != "postgresql":
            return
        if issubclass(model, LedgerRecord):
            kind, names = model.ledger_kind, model.ledger_reads()
            when_set, parts = model.ledger_fields_when_set, model.ledger_parts
        else:
            kind, names, when_set, parts = history.kind_of(model), history.fields_of(model), (), ()
        self.kind = kind
        # As ledger_document_of makes the document: the kind, then the values (a column named "kind" takes its
        # place), then the parts. Each member's SQL with its params.
        members: dict[str, tuple[str, list]] = {"kind": ("%s", [_key("kind") + json.dumps(kind, ensure_ascii=False)])}
        for name in names:
            value = _value(model, name)
            if value is None:
                return
            members[name] = (f"%s || {value}", [_key(name)])
        for name in parts:
            part = self._part(model, name)
            if part is None:
                return
            members[name] = part
        if len(members) > _MOST_MEMBERS:
            return
        joined, params = [], []
        for name in sorted(members):
            sql, member_params = members[name]
            if name in when_set:
                column = _quoted(model, name)
                empty = f"{column} IS NULL"
                if isinstance(model._meta.get_field(name), (models.CharField, models.TextField)):
                    empty += f" OR {column} = ''"
                sql = f"CASE WHEN {empty} THEN NULL ELSE {sql} END"
            joined.append(sql)
            params.extend(member_params)
        self.content, self.params = _joined(joined), params

    def _part(self, model: type[models.Model], name: str) -> tuple[str, list] | None:
        """The SQL of a part's rows (a decision's answers) as a canonical JSON list, in the order the record's
        ``ledger_parts_ordered_by`` gives, with its params."""
        order = model.ledger_parts_ordered_by.get(name)
        if order is None:
            return None  # the order of its rows is not known here
        relation = model._meta.get_field(name)
        part = relation.related_model
        if len(part.ledger_fields) > _MOST_MEMBERS:
            return None
        members, params = [], [_key(name)]
        for field in sorted(part.ledger_fields):
            value = _value(part, field)
            if value is None:
                return None
            members.append(f"%s || {value}")
            params.append(_key(field))
        # Names quoted by quote_name, values as parameters.
        sql = (
            f"%s || '[' || coalesce((SELECT string_agg('{{' || {_joined(members)} || '}}', ',' "  # noqa: S608  # nosec B608
            f"ORDER BY {_quoted(part, order)}) FROM {connection.ops.quote_name(part._meta.db_table)} "
            f"WHERE {_quoted(part, relation.field.name)} = {_quoted(model, model._meta.pk.name)}), '') || ']'"
        )
        return sql, params

    def check(self, after, until) -> int | None:
        """How many records have a primary key in (after, until] (None: no bound), when each one's content
        hashes to its entry's content SHA-256; None when any does not, or has no entry. Hashed by the database:
        only how many records there are, and differ, come back.

        A whole kind (no bounds) is joined to its entries by hashing the entries of the kind once (read from
        the index of entries by kind, which holds their SHA-256: ledger.0003), rather than looking each one up
        in that index (a third of the time); a stretch of a kind too large for that (``WHOLE_KIND_MOST``)
        looks each up.
        """
        table = connection.ops.quote_name(self.model._meta.db_table)
        entries = connection.ops.quote_name(Entry._meta.db_table)
        pk = _quoted(self.model, self.model._meta.pk.name)
        if after is None and until is None:
            joined, expected = (
                f" LEFT JOIN {entries} AS entry ON entry.kind = %s AND entry.record_id = ({pk})::text",
                ("entry.content_sha256"),
            )
        else:
            joined = ""
            expected = f"(SELECT content_sha256 FROM {entries} WHERE kind = %s AND record_id = ({pk})::text LIMIT 1)"  # noqa: S608  # nosec B608
        bounds, bound_params = [], []
        for bound, value in ((f"{pk} > %s", after), (f"{pk} <= %s", until)):
            if value is not None:
                bounds.append(bound)
                bound_params.append(value)
        where = f" WHERE {' AND '.join(bounds)}" if bounds else ""
        rows = f"SELECT {self.content}, {expected} FROM {table}{joined}{where}"  # noqa: S608  # nosec B608
        # The SQL's params in order: the content's constants, the kind (in the join or the lookup), the bounds.
        params = [*self.params, self.kind, *bound_params]
        with connection.cursor() as cursor:
            # Room to hash the kind's entries in memory, for this transaction: a million take some 150 MB.
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute(
                "SELECT count(*), count(*) FILTER (WHERE sha IS DISTINCT FROM "  # noqa: S608  # nosec B608
                f"encode(sha256(convert_to('{{' || content || '}}', 'UTF8')), 'hex')) FROM ({rows}) AS record "
                "(content, sha)",
                params,
            )
            records, differ = cursor.fetchone()
        return records if not differ else None


# The tree's leaves: entries read per query, by their ids.
TREE_RANGE = 65_536


def leaf_runs() -> Iterator[list[tuple[int, list[bytes]]] | None]:
    """The tree's leaves, the entries of one range of ids at a time: runs of (first position, leaf hashes in
    position order), each leaf hash made by the database from its entry's bytes (``models.entry_text``:
    RFC 9162's leaf hash of them) and equal to the one stored. None, and no more, when any differs, or an
    entry has two leaves: the walk leaf by leaf then names the problem.

    A range's leaves are one run when their positions are consecutive, as they are but where a transaction
    committed out of order (a few in a million); otherwise each leaf is a run of its own. Whether every
    position is filled once is for the caller, which places the runs.
    """
    leaves, entries = (connection.ops.quote_name(model._meta.db_table) for model in (Leaf, Entry))
    # An entry's canonical bytes as entry_text makes them, keys sorted, for an entry whose kind, id and
    # SHA-256 JSON writes as they are (those it would escape make other bytes, a leaf hash that differs,
    # and the walk that decides), and its leaf hash SHA-256(0x00 || bytes). Rows in position order, which the
    # aggregates keep (if they did not, the positions would not come back in order, and the pass would fail
    # to the walk). Names quoted by quote_name; the bounds are parameters.
    query = (
        "SELECT array_agg(position), array_agg(entry_id), string_agg(hash, ''::bytea), string_agg(stored, '') "  # noqa: S608  # nosec B608
        "FROM (SELECT leaf.position, leaf.entry_id, entry.leaf_hash AS stored, "
        "sha256(decode('00', 'hex') || convert_to("
        f"""'{{"appended_at":"' || {canonical_time("entry.appended_at")} || '","content_sha256":"' """
        """|| entry.content_sha256 || '","id":"' || entry.record_id || '","kind":"' || entry.kind """
        """|| '","v":1}', 'UTF8')) AS hash """
        f"FROM {leaves} AS leaf JOIN {entries} AS entry ON entry.id = leaf.entry_id "
        "WHERE leaf.entry_id > %s AND leaf.entry_id <= %s AND entry.id > %s AND entry.id <= %s "
        "ORDER BY leaf.position) AS made"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(entry_id), max(entry_id) FROM {leaves}")  # noqa: S608  # nosec B608
        low, high = cursor.fetchone()
        if low is None:
            return
        for after in range(low - 1, high, TREE_RANGE):
            cursor.execute(query, [after, after + TREE_RANGE] * 2)
            positions, entry_ids, hashes, stored = cursor.fetchone()
            if positions is None:
                continue
            hashes = bytes(hashes)
            if hashes.hex() != stored or len(set(entry_ids)) != len(entry_ids):
                yield None
                return
            made = [hashes[i : i + 32] for i in range(0, len(hashes), 32)]
            if positions == list(range(positions[0], positions[0] + len(positions))):
                yield [(positions[0], made)]
            else:
                yield [(position, [leaf]) for position, leaf in zip(positions, made, strict=True)]
