"""Retrieval primitives of the local engine: embedders, the vector index, FTS5 helpers, fusion.

Everything here is pure (no storage, no network) so the engine can compose it::

    from ragkit.engine.search import VectorIndex, get_embedder, match_expression

    embedder = get_embedder("minilm")
    index = VectorIndex(embedder.dimension)
    index.add(rowids, embedder.embed_documents(texts))
    dense = index.search(embedder.embed_query(question), k=100)
"""

from ragkit.engine.search.embed import (
    DEFAULT_EMBEDDER,
    Embedder,
    EmbedderError,
    SentenceTransformersEmbedder,
    get_embedder,
    register_embedder,
)
from ragkit.engine.search.fts import FTS5_TOKENIZE, create_table_sql, match_expression
from ragkit.engine.search.vectors import VectorIndex, decode, encode

__all__ = [
    "DEFAULT_EMBEDDER",
    "FTS5_TOKENIZE",
    "Embedder",
    "EmbedderError",
    "SentenceTransformersEmbedder",
    "VectorIndex",
    "create_table_sql",
    "decode",
    "encode",
    "get_embedder",
    "match_expression",
    "register_embedder",
]
