"""The HTML reports open in headless Chromium and show their charts.

Each report is rendered from synthetic data, a measuring script is appended to a copy (the
report itself carries no scripts), and Chromium's ``--dump-dom`` returns the DOM after the
script ran: the size every chart was laid out at, the drawn length of its lines, its heat map
cells and trade markers. A screenshot is then checked for the chart colours. Without
Chromium the tests skip outside CI and fail in CI (``scripts/install-chromium.sh``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from jts.adapters.reports import render_backtest_report, render_optimization_report, write_report
from jts.adapters.reports.formatting import ratio
from tests.services import IN_CI
from tests.unit.adapters.reports.samples import simulated_backtest, simulated_optimization

pytestmark = pytest.mark.slow

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
MEASURE = """<script>
(function () {
  const charts = {};
  for (const svg of document.querySelectorAll("svg.chart, svg.heatmap")) {
    const box = svg.getBoundingClientRect();
    let drawn = 0;
    for (const path of svg.querySelectorAll("path.line, path.area")) drawn += path.getTotalLength();
    charts[svg.id] = {
      width: box.width, height: box.height, drawn: drawn,
      cells: svg.querySelectorAll("rect.heat-cell").length,
      markers: svg.querySelectorAll("path.marker").length,
    };
  }
  const metrics = {};
  for (const cell of document.querySelectorAll("[data-metric]")) {
    metrics[cell.dataset.metric] = cell.textContent;
  }
  const out = document.createElement("pre");
  out.id = "render-check";
  out.textContent = JSON.stringify({charts: charts, metrics: metrics});
  document.body.appendChild(out);
})();
</script>"""


@pytest.fixture(scope="module")
def chromium() -> str:
    binary = shutil.which("chromium") or "/usr/bin/chromium"
    if Path(binary).is_file():
        return binary
    reason = "chromium is not installed (run scripts/install-chromium.sh)"
    if IN_CI:
        pytest.fail(f"{reason}; CI must provide it", pytrace=False)
    pytest.skip(reason)


def _run_chromium(chromium: str, tmp_path: Path, page: Path, *args: str) -> str:
    completed = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2_000:]
    return completed.stdout


def _measure(chromium: str, tmp_path: Path, html: str) -> dict[str, Any]:
    page = write_report(tmp_path / "measured.html", html.replace("</body>", f"{MEASURE}</body>"))
    dom = _run_chromium(chromium, tmp_path, page, "--window-size=1200,3000", "--dump-dom")
    found = re.search(r'<pre id="render-check">(.*?)</pre>', dom, re.S)
    assert found is not None, "the measuring script did not run"
    result: dict[str, Any] = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    return result


def test_backtest_report_lays_out_and_draws_every_chart(chromium: str, tmp_path: Path) -> None:
    data = simulated_backtest(n_days=250)
    monthly = data.metrics.monthly
    filled = sum(v is not None for row in monthly.months for v in row) + len(monthly.years)

    measured = _measure(chromium, tmp_path, render_backtest_report(data))

    charts = measured["charts"]
    for chart in ("equity-chart", "drawdown-chart", "price-chart"):
        assert charts[chart]["width"] > 900, chart
        assert charts[chart]["height"] > 150, chart
        assert charts[chart]["drawn"] > 2_000, f"{chart} draws no real curve"
    assert charts["monthly-heatmap"]["cells"] == filled
    assert charts["price-chart"]["markers"] == 2 * len(data.trades)
    metrics = measured["metrics"]
    assert metrics["sharpe"] == ratio(data.metrics.sharpe)
    assert metrics["trade_count"] == str(len(data.trades))


def test_optimization_report_lays_out_its_heat_map_and_equity(
    chromium: str, tmp_path: Path
) -> None:
    data = simulated_optimization()

    measured = _measure(chromium, tmp_path, render_optimization_report(data))

    charts = measured["charts"]
    assert charts["parameter-heatmap"]["cells"] == 80
    assert charts["parameter-heatmap"]["width"] > 400
    assert charts["oos-equity-chart"]["drawn"] > 2_000
    assert measured["metrics"]["pbo"].endswith("%")


def _pixels_near(image: np.ndarray, colour: tuple[int, int, int], tolerance: int = 40) -> int:
    distance = np.abs(image[:, :, :3].astype(int) - np.array(colour)).sum(axis=2)
    return int((distance < tolerance).sum())


def test_screenshot_shows_the_curves_markers_and_heat_map(chromium: str, tmp_path: Path) -> None:
    page = write_report(tmp_path / "report.html", render_backtest_report(simulated_backtest()))
    shot = tmp_path / "report.png"

    _run_chromium(chromium, tmp_path, page, "--window-size=1200,3400", f"--screenshot={shot}")

    image = np.asarray(Image.open(shot).convert("RGB"))
    assert image.shape[:2] == (3400, 1200)
    assert _pixels_near(image, (0x1D, 0x4E, 0x99)) > 1_000  # the equity line
    assert _pixels_near(image, (0xF1, 0xCF, 0xCC), 12) > 20_000  # the drawdown fill
    assert _pixels_near(image, (0x1E, 0x91, 0x54)) > 500  # buy markers and gain cells
    assert _pixels_near(image, (0xC8, 0x3E, 0x32)) > 500  # sell markers and loss cells
