"""ragkit: cited answers from your documents over Google's Semantic Retriever API.

The public surface is re-exported here as each part lands; see ``__all__``.
"""

from ragkit._version import __version__

__all__ = ["__version__"]
