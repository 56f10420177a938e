"""PNG plots of a QA evaluation: the calibration curve and the score distributions.

Figures are built with matplotlib's object API (``Figure`` and its Agg canvas),
never ``pyplot``, so saving a plot does not change the backend of a notebook or
open a window. matplotlib is optional: :func:`save_qa_plots` raises ``ImportError``
when it is missing and the caller writes its report without plots.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ragkit.eval.run_qa import CORRECT_F1, QAEvaluation

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CALIBRATION_PNG", "DISTRIBUTIONS_PNG", "save_qa_plots"]

CALIBRATION_PNG = "calibration.png"
DISTRIBUTIONS_PNG = "score-distributions.png"
_DPI = 120


def _calibration_figure(result: QAEvaluation) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5.5, 5), layout="constrained")
    axes = figure.add_subplot()
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    if result.calibration is not None:
        bins = result.calibration.bins
        axes.plot(
            [b.mean_predicted for b in bins],
            [b.observed_rate for b in bins],
            marker="o",
            label=f"{result.questions} questions (ECE {result.calibration.ece:.3f})",
        )
        for b in bins:
            axes.annotate(str(b.count), (b.mean_predicted, b.observed_rate), fontsize=7)
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_xlabel("mean answerable_probability in the bin")
    axes.set_ylabel(f"share of answers correct (F1 >= {CORRECT_F1})")
    axes.set_title("Calibration (labels: questions per bin)")
    axes.legend(loc="upper left")
    return figure


def _distribution_figure(result: QAEvaluation) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 4), layout="constrained")
    axes = figure.add_subplot()
    answerable = [r.probability for r in result.records if r.answers and r.probability is not None]
    unanswerable = [
        r.probability for r in result.records if not r.answers and r.probability is not None
    ]
    edges = [i / 20 for i in range(21)]
    axes.hist(answerable, bins=edges, alpha=0.6, label=f"answerable ({len(answerable)})")
    axes.hist(unanswerable, bins=edges, alpha=0.6, label=f"unanswerable ({len(unanswerable)})")
    axes.axvline(result.threshold, color="black", linestyle="--")
    for text, align in (
        ("refused  ", "right"),
        (f"  answered (threshold {result.threshold:g})", "left"),
    ):
        axes.annotate(
            text, (result.threshold, 0.7), xycoords=("data", "axes fraction"), ha=align, fontsize=8
        )
    axes.set_xlim(0, 1)
    axes.set_xlabel("answerable_probability")
    axes.set_ylabel("questions")
    axes.set_title("Scores of answerable and unanswerable questions")
    axes.legend(loc="upper right")
    return figure


def save_qa_plots(result: QAEvaluation, out_dir: Path) -> list[Path]:
    """Write ``calibration.png`` and ``score-distributions.png`` into ``out_dir``.

    Raises ``ImportError`` when matplotlib is not installed.
    """
    import matplotlib  # noqa: F401  (fail early and clearly when it is missing)

    written = []
    for name, build in (
        (CALIBRATION_PNG, _calibration_figure),
        (DISTRIBUTIONS_PNG, _distribution_figure),
    ):
        path = out_dir / name
        build(result).savefig(path, dpi=_DPI)
        written.append(path)
    return written
