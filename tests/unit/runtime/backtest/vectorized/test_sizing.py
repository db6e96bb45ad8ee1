"""Entry sizing in ``Decimal``: the forms, kelly from closed trades, lots and cash."""

from __future__ import annotations

from decimal import Decimal

from jts.runtime.backtest.exchange.listing import Listing
from jts.runtime.backtest.vectorized.sizing import (
    SizingInputs,
    TradeTally,
    asked_quantity,
    kelly_share,
    sized_quantity,
)
from tests.unit.runtime.backtest.vectorized.builders import BTC_USDT, CALENDARS, SAMSUNG

D = Decimal


def tally(*pnls: int) -> TradeTally:
    result = TradeTally()
    for pnl in pnls:
        result.add(D(pnl))
    return result


def test_kelly_uses_the_cap_until_a_win_and_a_loss_closed() -> None:
    assert kelly_share(tally(), D("0.5"), D("0.2")) == D("0.2")
    assert kelly_share(tally(10, 20), D("0.5"), D("0.2")) == D("0.2")


def test_kelly_from_win_rate_and_payoff() -> None:
    # W = 2/3, R = (30 / 2) / 10 = 1.5: f* = 2/3 - (1/3) / 1.5 = 4/9
    share = kelly_share(tally(10, 20, -10), D("0.5"), D("0.9"))

    assert share == D("0.5") * (D(2) / D(3) - (1 - D(2) / D(3)) / D("1.5"))


def test_kelly_without_an_edge_is_not_positive() -> None:
    assert kelly_share(tally(1, -10, -10), D(1), D("0.5")) < 0
    assert (
        asked_quantity(
            SizingInputs("kelly", D(1), cap=D("0.5")),
            equity=D(1000),
            price=D(10),
            fx=D(1),
            tally=tally(1, -10, -10),
        )
        == 0
    )


def test_forms_ask_for_their_quantities() -> None:
    common = {"equity": D(1_000_000), "price": D(1_000), "fx": D(2), "tally": TradeTally()}

    assert asked_quantity(SizingInputs("quantity", D(7)), **common) == D(7)  # type: ignore[arg-type]
    assert asked_quantity(SizingInputs("percent_equity", D("0.1")), **common) == D(50)  # type: ignore[arg-type]
    risk = SizingInputs("risk", D("0.01"), distance=D(20))
    assert asked_quantity(risk, **common) == D(250)  # type: ignore[arg-type]


def test_sizes_are_whole_lots_the_free_cash_can_reserve() -> None:
    listing = Listing(SAMSUNG, CALENDARS["XKRX"])

    fits = sized_quantity(listing, D("12.7"), reserve_price=D(1000), free_cash=D(1_000_000))
    cut = sized_quantity(listing, D(5000), reserve_price=D(1000), free_cash=D(1_000_000))

    assert fits == D(12)
    assert cut * 1000 + (cut * 1000 * D("0.00015")).to_integral_value(rounding="ROUND_FLOOR") <= (
        1_000_000
    )
    assert (cut + 1) * 1000 > D(1_000_000) - 150


def test_binance_sizes_step_in_its_lot() -> None:
    listing = Listing(BTC_USDT, CALENDARS["24/7"])

    assert sized_quantity(listing, D("0.123456789"), reserve_price=D(100), free_cash=D(1000)) == D(
        "0.12345"
    )
