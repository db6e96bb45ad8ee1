"""Templates: one plain ``str.format`` template per message type, and the fields they use.

``render(message, directory)`` turns an event worth telling a person about into a
``Notification``, or returns ``None`` for anything else (including health reports that
are not DOWN). Each message type has a fields function that reads the message into
ready-formatted strings (amounts, names, durations) and a ``Template`` whose title, body
and de-duplication key are format strings over those fields. A ``Template`` with
``severity=None`` takes the severity the message carries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import msgspec

from jts.contexts.notifications.domain import formatting as fmt
from jts.contexts.notifications.domain.model import Notification
from jts.messages.base import Event, Message
from jts.messages.enums import HealthStatus, Severity
from jts.messages.market_data import FeedRecovered, FeedStale, SurgeDetected
from jts.messages.notifications import Category
from jts.messages.portfolio import DailyReportPublished
from jts.messages.risk import RiskAlertRaised, RiskLimitBreached
from jts.messages.system import ErrorReported, HealthReported
from jts.messages.trading import OrderDenied, OrderFilled, OrderRejected


class Template(msgspec.Struct, frozen=True, kw_only=True):
    category: Category
    title: str
    body: str
    dedup: str
    severity: Severity | None = None


Fields = dict[str, str]
FieldsFn = Callable[[Message, fmt.Directory], Fields | None]

TEMPLATES: dict[type[Event], Template] = {
    OrderFilled: Template(
        category=Category.FILL,
        severity=Severity.INFO,
        title="Filled {side} {qty} {instrument}",
        body="{qty} @ {price} = {notional}, fees {fees} ({strategy}, order {order})",
        dedup="fill:{order}:{trade}",
    ),
    OrderDenied: Template(
        category=Category.ORDER,
        severity=Severity.WARNING,
        title="Order denied by risk: {instrument}",
        body="{rule}: {reason} (order {order})",
        dedup="denied:{instrument_id}:{rule}",
    ),
    OrderRejected: Template(
        category=Category.ORDER,
        severity=Severity.WARNING,
        title="Order rejected by the venue: {instrument}",
        body="{reason}{code} (order {order})",
        dedup="rejected:{instrument_id}:{reason}",
    ),
    RiskAlertRaised: Template(
        category=Category.RISK,
        title="Risk alert: {rule}",
        body="{message}{figures}",
        dedup="risk:{rule}:{scope}",
    ),
    RiskLimitBreached: Template(
        category=Category.RISK,
        severity=Severity.CRITICAL,
        title="Limit breached: {rule} ({scope})",
        body="{value} against a limit of {limit}; action: {action}",
        dedup="limit:{rule}:{scope}",
    ),
    ErrorReported: Template(
        category=Category.SYSTEM,
        title="Error in {component}: {error_type}",
        body="{message}",
        dedup="error:{component}:{error_type}",
    ),
    HealthReported: Template(
        category=Category.SYSTEM,
        severity=Severity.CRITICAL,
        title="{component} is DOWN",
        body="{detail}",
        dedup="down:{component}",
    ),
    FeedStale: Template(
        category=Category.FEED,
        severity=Severity.WARNING,
        title="Feed stale: {instrument}",
        body="{reason}, last data {last_data}{detail}",
        dedup="feed:{instrument_id}",
    ),
    FeedRecovered: Template(
        category=Category.FEED,
        severity=Severity.INFO,
        title="Feed recovered: {instrument}",
        body="data flowing again after {stale_for}",
        dedup="feed-recovered:{instrument_id}",
    ),
    SurgeDetected: Template(
        category=Category.SURGE,
        severity=Severity.INFO,
        title="Surge on {instrument}: {kind}",
        body="score {score}: {reason}",
        dedup="surge:{instrument_id}:{kind}",
    ),
    DailyReportPublished: Template(
        category=Category.SYSTEM,
        severity=Severity.INFO,
        title="Daily report {day} ({account})",
        body="equity {end_equity} ({pnl}, {day_return}), realized {realized}, fees {fees}, "
        "{fills} fills, {trades} trades{location}",
        dedup="daily:{account}:{day}",
    ),
}


def _fill(m: OrderFilled, directory: fmt.Directory) -> Fields:
    currency = fmt.currency_of(m.instrument_id, directory)
    fee_currency = m.commission_currency or currency
    return {
        "side": m.side.value,
        "qty": fmt.number(m.last_qty),
        "instrument": fmt.instrument(m.instrument_id, directory),
        "price": fmt.money(m.last_price, currency),
        "notional": fmt.money(m.last_price * m.last_qty, currency),
        "fees": fmt.money(m.commission + m.tax, fee_currency),
        "strategy": str(m.strategy_id),
        "order": str(m.client_order_id),
        "trade": str(m.trade_id),
    }


def _denied(m: OrderDenied, directory: fmt.Directory) -> Fields:
    return {
        "instrument": fmt.instrument(m.instrument_id, directory),
        "instrument_id": str(m.instrument_id),
        "rule": m.rule or "risk",
        "reason": m.reason,
        "order": str(m.client_order_id),
    }


def _rejected(m: OrderRejected, directory: fmt.Directory) -> Fields:
    return {
        "instrument": fmt.instrument(m.instrument_id, directory),
        "instrument_id": str(m.instrument_id),
        "reason": m.reason,
        "code": f" [{m.code}]" if m.code else "",
        "order": str(m.client_order_id),
    }


def _scope(strategy_id: object, instrument_id: object) -> str:
    parts = [str(p) for p in (strategy_id, instrument_id) if p is not None]
    return "/".join(parts) or "portfolio"


def _risk_alert(m: RiskAlertRaised, directory: fmt.Directory) -> Fields:
    figures = ", ".join(f"{k} {fmt.number(v)}" for k, v in m.figures.items())
    return {
        "rule": m.rule,
        "message": m.message,
        "figures": f" ({figures})" if figures else "",
        "scope": _scope(m.strategy_id, m.instrument_id),
    }


def _limit(m: RiskLimitBreached, directory: fmt.Directory) -> Fields:
    return {
        "rule": m.rule,
        "scope": m.scope,
        "value": fmt.number(m.value),
        "limit": fmt.number(m.limit),
        "action": m.action,
    }


def _error(m: ErrorReported, directory: fmt.Directory) -> Fields:
    return {"component": m.component, "error_type": m.error_type, "message": m.message}


def _health(m: HealthReported, directory: fmt.Directory) -> Fields | None:
    if m.status is not HealthStatus.DOWN:
        return None
    return {"component": m.component, "detail": m.detail or "no detail given"}


def _stale(m: FeedStale, directory: fmt.Directory) -> Fields:
    last = "never" if m.last_data_ns is None else f"{fmt.duration(m.ts_event - m.last_data_ns)} ago"
    return {
        "instrument": fmt.instrument(m.instrument_id, directory),
        "instrument_id": str(m.instrument_id),
        "reason": m.reason.value,
        "last_data": last,
        "detail": f"; {m.detail}" if m.detail else "",
    }


def _recovered(m: FeedRecovered, directory: fmt.Directory) -> Fields:
    return {
        "instrument": fmt.instrument(m.instrument_id, directory),
        "instrument_id": str(m.instrument_id),
        "stale_for": fmt.duration(m.ts_event - m.stale_since_ns),
    }


def _surge(m: SurgeDetected, directory: fmt.Directory) -> Fields:
    return {
        "instrument": fmt.instrument(m.instrument_id, directory),
        "instrument_id": str(m.instrument_id),
        "kind": m.kind.value,
        "score": fmt.number(m.score),
        "reason": m.reason,
    }


def _daily(m: DailyReportPublished, directory: fmt.Directory) -> Fields:
    currency = m.base_currency
    return {
        "day": m.day.isoformat(),
        "account": str(m.account_id),
        "end_equity": fmt.money(m.end_equity, currency),
        "pnl": ("+" if m.pnl > 0 else "") + fmt.money(m.pnl, currency),
        "day_return": f"{m.day_return:+.2%}",
        "realized": fmt.money(m.realized_pnl, currency),
        "fees": fmt.money(m.fees, currency),
        "fills": str(m.fills),
        "trades": str(m.trades),
        "location": f"; {m.location}" if m.location else "",
    }


FIELDS: Mapping[type[Event], Callable[..., Fields | None]] = {
    OrderFilled: _fill,
    OrderDenied: _denied,
    OrderRejected: _rejected,
    RiskAlertRaised: _risk_alert,
    RiskLimitBreached: _limit,
    ErrorReported: _error,
    HealthReported: _health,
    FeedStale: _stale,
    FeedRecovered: _recovered,
    SurgeDetected: _surge,
    DailyReportPublished: _daily,
}
NOTIFIED_TYPES: tuple[type[Event], ...] = tuple(FIELDS)


def _carried_severity(message: Message) -> Severity:
    severity = getattr(message, "severity", None)
    return severity if isinstance(severity, Severity) else Severity.WARNING


def render(
    message: Message,
    directory: fmt.Directory,
    templates: Mapping[type[Event], Template] = TEMPLATES,
) -> Notification | None:
    """The notification for ``message``, or ``None`` when it is not worth one."""
    if not isinstance(message, Event):
        return None
    template = templates.get(type(message))
    fields_of = FIELDS.get(type(message))
    fields = None if fields_of is None else fields_of(message, directory)
    if template is None or fields is None:
        return None
    return Notification(
        id=message.id,
        correlation_id=message.correlation(),
        ts_ns=message.ts_event,
        severity=template.severity or _carried_severity(message),
        category=template.category,
        title=template.title.format_map(fields),
        body=template.body.format_map(fields),
        dedup_key=template.dedup.format_map(fields),
    )
