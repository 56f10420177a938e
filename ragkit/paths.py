"""Where ragkit keeps its data on this machine."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

HOME_ENV = "RAGKIT_HOME"


def ragkit_home() -> Path:
    """The data directory: ``$RAGKIT_HOME`` if set, else the per-user data dir.

    >>> import os; os.environ["RAGKIT_HOME"] = "/tmp/rk"; str(ragkit_home())
    '/tmp/rk'
    """
    configured = os.environ.get(HOME_ENV)
    return Path(configured).expanduser() if configured else Path(user_data_dir("ragkit"))


CACHE_ENV = "RAGKIT_CACHE"


def ragkit_cache() -> Path:
    """Derived files that can be rebuilt (the int8 embedding graph): ``$RAGKIT_CACHE`` if
    set, else the per-user cache dir.

    >>> import os; os.environ["RAGKIT_CACHE"] = "/tmp/rk-cache"; str(ragkit_cache())
    '/tmp/rk-cache'
    """
    configured = os.environ.get(CACHE_ENV)
    return Path(configured).expanduser() if configured else Path(user_cache_dir("ragkit"))
