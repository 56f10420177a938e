"""Retrieval primitives of the local engine: embedders, the vector index, FTS5 helpers, fusion.

Everything here is pure (no storage, no network) so the engine can compose it::

    from ragkit.engine.search import VectorIndex, get_embedder, match_expression

    embedder = get_embedder("minilm")
    index = VectorIndex(embedder.dimension)
    index.add(rowids, embedder.embed_documents(texts))
    expression = match_expression(question)  # chunks_fts from create_table_sql()
    lexical = [] if expression is None else conn.execute(
        "SELECT rowid, bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? "
        "ORDER BY rank LIMIT ?", (expression, candidate_depth(10))).fetchall()
    hits = hybrid_rank(embedder.embed_query(question), lexical, index, k=10)
    # -> [(rowid, relevance in [0, 1]), ...] best first

On a big table, build the expression with ``ragkit.engine.lexical.LexicalPlanner.plan``
instead (over a vocabulary table from ``create_vocab_sql``): it leaves out the words that
would make ``bm25()`` score most of the table.
"""

from ragkit.engine.search.embed import (
    DEFAULT_EMBEDDER,
    Embedder,
    EmbedderError,
    SentenceTransformersEmbedder,
    get_embedder,
    register_embedder,
)
from ragkit.engine.search.fts import (
    FTS5_TOKENIZE,
    create_table_sql,
    create_vocab_sql,
    match_expression,
)
from ragkit.engine.search.fusion import (
    DEFAULT_FUSION,
    FusionParams,
    candidate_depth,
    fuse,
    hybrid_rank,
    reciprocal_rank_fusion,
)
from ragkit.engine.search.vectors import VectorIndex, decode, encode

__all__ = [
    "DEFAULT_EMBEDDER",
    "DEFAULT_FUSION",
    "FTS5_TOKENIZE",
    "Embedder",
    "EmbedderError",
    "FusionParams",
    "SentenceTransformersEmbedder",
    "VectorIndex",
    "candidate_depth",
    "create_table_sql",
    "create_vocab_sql",
    "decode",
    "encode",
    "fuse",
    "get_embedder",
    "hybrid_rank",
    "match_expression",
    "reciprocal_rank_fusion",
    "register_embedder",
]
