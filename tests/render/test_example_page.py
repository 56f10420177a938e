"""docs/example-answer.html is what the renderers produce today."""

from __future__ import annotations

from tests.render.examples import EXAMPLE_HTML, example_page


def test_example_page_is_up_to_date() -> None:
    expected = example_page()
    assert EXAMPLE_HTML.read_text(encoding="utf-8") == expected, (
        "docs/example-answer.html is stale: run `.venv/bin/python -m tests.render.examples`"
    )
    assert expected.count('class="rk rk-answer') == 4  # answer + refusal, light and dark
