"""The benchmark's build-time ratio: rounds built back to back, so that a slow spell cancels out."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def test_a_slow_spell_moves_both_builds_of_a_round_and_cancels_out() -> None:
    # The third round ran while the machine was twice as slow: its builds both took twice as long.
    ours = [(2.0, 0.0), (2.2, 0.0), (4.4, 0.0)]
    vanilla = [(1.6, 0.0), (1.6, 0.0), (3.2, 0.0)]
    assert bench.paired_ratio(ours, vanilla) == 1.375  # the rounds' ratios: 1.25, 1.375, 1.375
    # One slow build of one side moves its round's ratio, not the median of the rounds' ratios.
    ours[0] = (9.0, 0.0)
    assert bench.paired_ratio(ours, vanilla) == 1.375


def test_rounds_of_unequal_length_are_an_error() -> None:
    with pytest.raises(ValueError):
        bench.paired_ratio([(1.0, 0.0)], [])
