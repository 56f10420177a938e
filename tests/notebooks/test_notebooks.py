"""Every notebook runs top to bottom in a real kernel, offline, and is committed clean."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT

nbformat = pytest.importorskip("nbformat", reason="nbformat is in the test extra")
nbclient = pytest.importorskip("nbclient", reason="nbclient is in the test extra")
pytest.importorskip("ipykernel", reason="ipykernel is in the test and notebooks extras")

NOTEBOOK_DIR = REPO_ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = [
    "01-quickstart.ipynb",
    "02-exploring-a-corpus.ipynb",
    "03-retrieval.ipynb",
    "04-evaluation.ipynb",
]
CELL_TIMEOUT = 600  # seconds; a hung cell fails the test instead of hanging the suite

# Run first, in the notebook's own kernel: fail if the kernel is not this virtualenv's
# Python, and refuse every connection and name lookup that is not loopback.
GUARD = f"""
import socket
import sys

assert sys.prefix == {sys.prefix!r}, f"kernel runs {{sys.executable}}, not this venv"
_LOCAL = {{"localhost", "127.0.0.1", "::1", "ragkit.local"}}
_connect = socket.socket.connect
_getaddrinfo = socket.getaddrinfo


def _loopback_only(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in _LOCAL:
        raise OSError(f"network access from a notebook under test: {{address!r}}")
    return _connect(self, address)


def _local_names_only(host, *args, **kwargs):
    if host is not None and host not in _LOCAL:
        raise OSError(f"name lookup from a notebook under test: {{host!r}}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _loopback_only
socket.getaddrinfo = _local_names_only
"""


def _read(path: Path) -> Any:
    return nbformat.read(path, as_version=4)


def _outputs(notebook: Any) -> list[dict[str, Any]]:
    return [output for cell in notebook.cells for output in cell.get("outputs", [])]


def _rich(outputs: list[dict[str, Any]], mime: str) -> list[str]:
    return [str(output["data"][mime]) for output in outputs if mime in output.get("data", {})]


def _execute(notebook: Any) -> None:
    """Run every cell in a fresh ``python3`` kernel, behind the guard, from notebooks/."""
    notebook.cells.insert(0, nbformat.v4.new_code_cell(GUARD))
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute()


@pytest.fixture(scope="module")
def notebook_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory for all notebooks: later ones find the samples already stored."""
    return tmp_path_factory.mktemp("notebook-home")


def test_the_planned_notebooks_are_there() -> None:
    assert [path.name for path in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    notebook = _read(path)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {index} has outputs"
            assert cell.execution_count is None, f"cell {index} has an execution count"
    first = notebook.cells[0]
    assert first.cell_type == "markdown"
    assert 'pip install -e ".[notebooks]"' in first.source, "say how to install the extra"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_top_to_bottom_offline(
    path: Path, notebook_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAGKIT_HOME", str(notebook_home))  # the kernel inherits it
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = _read(path)
    _execute(notebook)  # raises CellExecutionError on the first failing cell

    outputs = _outputs(notebook)
    errors = [output for output in outputs if output.get("output_type") == "error"]
    assert not errors, json.dumps(errors, indent=1)[:2000]
    html = _rich(outputs, "text/html")
    assert any('class="rk ' in fragment for fragment in html), "no ragkit rich display shown"
    assert _rich(outputs, "image/png"), "no plot shown"
    if path.name == "01-quickstart.ipynb":
        assert any("rk-answer" in fragment for fragment in html)
        assert any("rk-search" in fragment for fragment in html)
        assert _rich(outputs, "text/markdown"), "the Markdown view of the answer"


def test_the_harness_fails_on_a_cell_error_and_blocks_the_network() -> None:
    offline = nbformat.v4.new_code_cell(
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
        "except OSError as error:\n"
        "    assert 'notebook under test' in str(error), error\n"
        "else:\n"
        "    raise AssertionError('connected')"
    )
    failing = nbformat.v4.new_code_cell("1 / 0")
    notebook = nbformat.v4.new_notebook(cells=[offline, failing])
    with pytest.raises(nbclient.exceptions.CellExecutionError, match="ZeroDivisionError"):
        _execute(notebook)
    assert notebook.cells[1].outputs == []  # the network cell (after the guard) passed
