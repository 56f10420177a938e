"""Data files for the default embedder: ``tokenizer.json`` of all-MiniLM-L6-v2 and its NOTICE."""
