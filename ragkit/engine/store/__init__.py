"""The engine's SQLite store: schema migrations, one writer, and per-resource queries.

Modules: ``db`` (connections and transactions), ``migrations``, ``records`` (the
plain dataclasses the store speaks), one module per resource (``corpora``,
``documents``, ``chunks``, ``permissions``), ``metadata`` and ``filters`` (custom
metadata and section-7 filtering), ``fulltext`` (per-corpus FTS5 tables) and
``pages`` (signed page tokens).
"""
