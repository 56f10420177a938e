"""``corpora`` methods (reference §8.1-8.5)."""

from __future__ import annotations

from ragkit.engine import ids, wire
from ragkit.engine.access import Role
from ragkit.engine.engine import Engine
from ragkit.engine.errors import already_exists, failed_precondition
from ragkit.engine.handlers.common import (
    by_creation,
    limit_exceeded,
    mask_paths,
    paginate,
    parse_name,
)
from ragkit.engine.indexes import available_embedder
from ragkit.engine.principal import Principal
from ragkit.engine.store import corpora, permissions
from ragkit.types import (
    Corpus,
    CreateCorpusRequest,
    DeleteCorpusRequest,
    GetCorpusRequest,
    ListCorporaRequest,
    ListCorporaResponse,
    UpdateCorpusRequest,
    limits,
    names,
)

_CORPUS_MASK = {"displayName": "display_name", "display_name": "display_name"}


def create(engine: Engine, who: Principal, request: CreateCorpusRequest) -> Corpus:
    body = request.corpus
    chosen = (
        parse_name(names.parse_corpus_name, body.name, field="corpus.name") if body.name else None
    )
    # Fail now, not at the first chunk, when the configured embedder cannot be built.
    available_embedder(engine.settings.embedder, "the engine is configured with the embedder")
    with engine.db.write() as conn:
        owned = corpora.count_owned(conn, who.email)
        if owned >= engine.settings.max_corpora:
            raise limit_exceeded(
                who.email,
                f"A project can create up to {engine.settings.max_corpora} corpora; "
                f"{who.email} already owns {owned}.",
            )
        if chosen is not None:
            if corpora.get(conn, chosen) is not None:
                raise already_exists(f"Corpus corpora/{chosen} already exists.")
            corpus_id = chosen
        else:
            corpus_id = ids.slug_id(body.display_name)
            while corpora.get(conn, corpus_id) is not None:  # a 36^12 collision, but be exact
                corpus_id = ids.slug_id(body.display_name)
        now = engine.clock.now()
        record = corpora.insert(
            conn, corpus_id, body.display_name or "", now, engine.settings.embedder
        )
        # The creator is the owner, and shows up as such in permissions.list.
        permissions.insert(conn, record.rowid, ids.permission_id(), "USER", who.email, "OWNER", now)
    return wire.corpus_to_wire(record)


def get(engine: Engine, who: Principal, request: GetCorpusRequest) -> Corpus:
    corpus_id = parse_name(names.parse_corpus_name, request.name, field="name")
    with engine.db.read() as conn:
        return wire.corpus_to_wire(engine.corpus(conn, who, corpus_id, Role.READER))


def list_(engine: Engine, who: Principal, request: ListCorporaRequest) -> ListCorporaResponse:
    with engine.db.read() as conn:
        items, token = paginate(
            engine,
            ("corpora.list", who.email),
            request,
            default=limits.DEFAULT_CORPORA_PAGE_SIZE,
            maximum=limits.MAX_CORPORA_PAGE_SIZE,
            fetch=lambda after, limit: corpora.list_owned(conn, who.email, after, limit),
            cursor_of=by_creation,
        )
    return ListCorporaResponse(
        corpora=[wire.corpus_to_wire(r) for r in items], next_page_token=token
    )


def update(engine: Engine, who: Principal, request: UpdateCorpusRequest) -> Corpus:
    corpus_id = parse_name(names.parse_corpus_name, request.corpus.name, field="corpus.name")
    mask_paths(request.update_mask, _CORPUS_MASK, resource="corpus")
    with engine.db.write() as conn:
        record = engine.corpus(conn, who, corpus_id, Role.WRITER)
        now = engine.clock.now()
        corpora.update_display_name(conn, record.rowid, request.corpus.display_name or "", now)
        updated = corpora.get(conn, corpus_id)
    assert updated is not None
    return wire.corpus_to_wire(updated)


def delete(engine: Engine, who: Principal, request: DeleteCorpusRequest) -> None:
    corpus_id = parse_name(names.parse_corpus_name, request.name, field="name")
    with engine.write() as (conn, changes):
        record = engine.corpus(conn, who, corpus_id, Role.OWNER)
        if record.document_count and not request.force:
            raise failed_precondition(
                f"Corpus corpora/{corpus_id} contains {record.document_count} document(s); "
                "delete them first or pass force=true."
            )
        corpora.delete(conn, record.rowid)
        changes.dropped(record)
