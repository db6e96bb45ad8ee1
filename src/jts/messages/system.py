"""System events: component health, errors and metrics."""

from __future__ import annotations

from jts.messages.base import Event, tag_for
from jts.messages.enums import HealthStatus, Severity


class SystemEvent(Event, frozen=True, kw_only=True, tag=tag_for("system")):
    component: str


class HealthReported(SystemEvent, frozen=True, kw_only=True):
    status: HealthStatus
    detail: str = ""


class ErrorReported(SystemEvent, frozen=True, kw_only=True):
    """An error worth an operator's attention. Never carries secrets."""

    error_type: str
    message: str
    severity: Severity = Severity.WARNING


class MetricsReported(SystemEvent, frozen=True, kw_only=True):
    values: dict[str, float]
