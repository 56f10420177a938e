"""Turn a folder of documents into a Semantic Retriever corpus.

load -> clean -> chunk -> plan -> sync -> upload, through the ragkit client only.
"""
