"""Walk-forward analysis: optimize in sample, test out of sample, stitch the tests.

A plan has a training length and a test length, in bars (``train=500,test=100``) or in
calendar days of the bars' close times (``train=90d,test=30d``). Rolling windows slide the
training span forward by one test length each step; anchored windows keep the start at the
first bar and grow. Test spans follow each other without gaps or overlap; only complete
test spans are used. Each test runs the parameters chosen in its training span on the test
bars alone (the engine starts flat, so indicator warm-up falls inside the test span).

The out-of-sample equity is the test runs chained: each curve is rescaled to start where
the previous one ended, which keeps every test's returns and compounds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from jts.runtime.backtest.optimization.evaluation import FloatArray, Int64Array, TrialRun, Window
from jts.shared_kernel.errors import StrategyError

DAY_NS = 86_400 * 1_000_000_000
_LENGTH = re.compile(r"^(\d+)(d?)$")


@dataclass(frozen=True)
class WalkForwardPlan:
    """Train and test lengths, in bars or (``in_days``) calendar days; rolling or anchored."""

    train: int
    test: int
    anchored: bool = False
    in_days: bool = False

    def __post_init__(self) -> None:
        if self.train < 1 or self.test < 1:
            raise StrategyError(
                f"walk-forward train={self.train}, test={self.test}: both must be positive"
            )

    @classmethod
    def parse(cls, text: str) -> WalkForwardPlan:
        """``train=N,test=M[,anchored]``; N and M are bar counts or days (``90d``)."""
        fields: dict[str, str] = {}
        anchored = False
        for part in (p.strip() for p in text.split(",") if p.strip()):
            if part in ("anchored", "rolling"):
                anchored = part == "anchored"
                continue
            key, _, value = part.partition("=")
            fields[key.strip()] = value.strip()
        if set(fields) != {"train", "test"}:
            raise StrategyError(
                f"walk-forward {text!r}: write train=N,test=M (bars, or days as 90d), "
                "optionally followed by ,anchored"
            )
        train, train_days = _length(text, fields["train"])
        test, test_days = _length(text, fields["test"])
        if train_days != test_days:
            raise StrategyError(f"walk-forward {text!r}: give both lengths in bars or both in days")
        return cls(train=train, test=test, anchored=anchored, in_days=train_days)

    def windows(self, bar_times: Int64Array) -> list[tuple[Window, Window]]:
        """(training, test) windows over bars with close times ``bar_times``."""
        spans = self._day_spans(bar_times) if self.in_days else self._bar_spans(len(bar_times))
        pairs = [
            (Window(train, test), Window(test, stop))
            for train, test, stop in spans
            if train < test < stop
        ]
        if not pairs:
            unit = "days" if self.in_days else "bars"
            raise StrategyError(
                f"walk-forward train={self.train}, test={self.test} ({unit}) needs more data "
                f"than the {len(bar_times)} bars given"
            )
        return pairs

    def _bar_spans(self, count: int) -> list[tuple[int, int, int]]:
        """(train start, test start, test stop) of every complete test span, by bar count."""
        return [
            (0 if self.anchored else test_start - self.train, test_start, test_start + self.test)
            for test_start in range(self.train, count - self.test + 1, self.test)
        ]

    def _day_spans(self, bar_times: Int64Array) -> list[tuple[int, int, int]]:
        """The same by calendar days from the first close: a span holds the bars closing in
        ``[from, to)``; the last test span counts when the data reaches into its last day."""
        if len(bar_times) == 0:
            return []
        first, last = int(bar_times[0]), int(bar_times[-1])
        spans: list[tuple[int, int, int]] = []
        step = 0
        while True:
            train_from = first + DAY_NS * step * self.test
            test_from = train_from + DAY_NS * self.train
            test_to = test_from + DAY_NS * self.test
            if test_to > last + DAY_NS:
                return spans
            cuts = np.searchsorted(bar_times, [train_from, test_from, test_to], side="left")
            train_start = 0 if self.anchored else int(cuts[0])
            spans.append((train_start, int(cuts[1]), int(cuts[2])))
            step += 1


def stitch(runs: list[TrialRun]) -> tuple[Int64Array, FloatArray]:
    """The test runs chained into one curve starting at the first run's first equity."""
    if not runs:
        return np.empty(0, dtype=np.int64), np.empty(0)
    pieces: list[FloatArray] = []
    level = float(runs[0].equity[0]) if len(runs[0].equity) else 1.0
    for run in runs:
        if len(run.equity) == 0:
            continue
        scaled = run.equity * (level / float(run.equity[0]))
        pieces.append(scaled)
        level = float(scaled[-1])
    ts = np.concatenate([run.ts_ns for run in runs if len(run.equity)])
    return ts, np.concatenate(pieces) if pieces else np.empty(0)


def _length(text: str, value: str) -> tuple[int, bool]:
    match = _LENGTH.match(value)
    if match is None:
        raise StrategyError(
            f"walk-forward {text!r}: {value!r} is not a length; give a bar count (500) "
            "or days (90d)"
        )
    return int(match.group(1)), match.group(2) == "d"
