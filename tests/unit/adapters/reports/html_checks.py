"""Parse a rendered report with the standard library and collect what the tests check."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser


class ReportOutline(HTMLParser):
    """Element counts by tag and class, ids, ``data-metric`` values and all text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.classes: Counter[str] = Counter()
        self.class_attributes: Counter[str] = Counter()  # whole ``class`` values
        self.ids: set[str] = set()
        self.metrics: dict[str, str] = {}
        self.path_lengths: dict[str, int] = {}
        self.text: list[str] = []
        self._metric: str | None = None
        self._svg: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags[tag] += 1
        for css in (attributes.get("class") or "").split():
            self.classes[css] += 1
        if attributes.get("class"):
            self.class_attributes[str(attributes["class"])] += 1
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag == "svg":
            self._svg.append(str(attributes.get("id") or ""))
        if tag == "path" and self._svg:
            chart = self._svg[-1]
            self.path_lengths[chart] = self.path_lengths.get(chart, 0) + len(
                attributes.get("d") or ""
            )
        self._metric = attributes.get("data-metric")

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._svg:
            self._svg.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._metric is not None:
            self.metrics[self._metric] = data
            self._metric = None


def outline(html: str) -> ReportOutline:
    parser = ReportOutline()
    parser.feed(html)
    parser.close()
    return parser
