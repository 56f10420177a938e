"""The 7,168-token input budget and multi-turn question resolution."""

from __future__ import annotations

from ragkit.engine.aqa import INPUT_TOKEN_LIMIT, Passage, answer
from ragkit.engine.aqa.budget import fit_budget, passage_tokens
from ragkit.engine.aqa.history import context_for, needs_context
from ragkit.tokens import count_tokens

FILLER = "Ducks are waterfowl that live near lakes and rivers in many countries. " * 60


def test_fit_budget_drops_the_first_overflowing_passage_and_everything_after() -> None:
    big = Passage("big", (FILLER,))
    small = Passage("small", ("Tiny.",))
    cost = passage_tokens(big)
    kept = fit_budget(10, [big, big, small], limit=10 + cost + cost // 2)
    # The second big passage overflows: it and the small one after it are both dropped.
    assert [p.id for p in kept] == ["big"]


def test_fit_budget_counts_the_prompt() -> None:
    p = Passage("p", ("one two three four",))
    assert fit_budget(0, [p], limit=passage_tokens(p)) == [p]
    assert fit_budget(1, [p], limit=passage_tokens(p)) == []


def test_answer_ignores_passages_beyond_the_model_budget() -> None:
    n = INPUT_TOKEN_LIMIT // count_tokens(FILLER) + 1
    fillers = [Passage(f"f{i}", (FILLER,)) for i in range(n)]
    late = Passage("late", ("The bridge opened to traffic in 1932.",))
    a = answer("When did the bridge open to traffic?", [*fillers, late], style="EXTRACTIVE")
    assert all(x.passage_id != "late" for x in a.attributions)
    assert "1932" not in a.text
    early = answer("When did the bridge open to traffic?", [late, *fillers], style="EXTRACTIVE")
    assert early.text == "1932"


def test_anaphoric_follow_up_borrows_the_previous_user_turn() -> None:
    history = [
        ("user", "What does the security guide say about API keys?"),
        ("model", "It covers creating and rotating them."),
    ]
    assert needs_context("How often should they be rotated?")
    assert context_for("How often should they be rotated?", history) == history[0][1]
    assert context_for("Who wrote the security guide?", history) == ""
    passages = [
        Passage("pw", ("Rotate passwords every 365 days.",)),
        Passage("keys", ("Rotate API keys every 90 days.",)),
    ]
    a = answer("How often should they be rotated?", passages, style="EXTRACTIVE", history=history)
    assert a.text == "90 days"
    assert [x.passage_id for x in a.attributions] == ["keys"]


def test_elliptical_follow_up_keeps_the_previous_answer_type() -> None:
    passages = [
        Passage(
            "p",
            (
                "The bridge opened in 1932 after three years of work.",
                "The tunnel under the river, built by Smith & Sons, opened in 1950.",
            ),
        )
    ]
    history = [("user", "When did the bridge open?"), ("model", "1932")]
    a = answer("And the tunnel?", passages, style="EXTRACTIVE", history=history)
    assert a.text == "1950"
    assert [x.part_index for x in a.attributions] == [1]
