import subprocess
import sys

import ragkit
from ragkit.tokens import count_tokens


def test_version_is_exposed() -> None:
    assert ragkit.__version__ == "0.1.0"


def test_token_counting_works_offline() -> None:
    assert count_tokens("Rotate keys every 90 days.") == 7
    assert count_tokens("") == 0


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ragkit", "--version"], capture_output=True, text=True, check=True
    )
    assert "ragkit, version 0.1.0" in done.stdout
