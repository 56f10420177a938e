"""The local Semantic Retriever engine: storage, API app, retrieval and the local answerer."""
