from copy import deepcopy
from decimal import Decimal
from typing import Any

import pytest

from jts.shared_kernel.errors import DataError
from jts.shared_kernel.venues import binance
from jts.shared_kernel.venues.catalog import BINANCE_EXCHANGE_INFO
from jts.shared_kernel.venues.fees import FeeAsset
from jts.shared_kernel.venues.types import LiquiditySide, OrderSide

D = Decimal
BUY, SELL = OrderSide.BUY, OrderSide.SELL

LEGACY_SYMBOL: dict[str, Any] = {
    "symbol": "LTCBTC",
    "status": "TRADING",
    "baseAsset": "LTC",
    "quoteAsset": "BTC",
    "filters": [
        {
            "filterType": "PRICE_FILTER",
            "minPrice": "0.00000100",
            "maxPrice": "100000.00000000",
            "tickSize": "0.00000100",
        },
        {
            "filterType": "PERCENT_PRICE",
            "multiplierUp": "5",
            "multiplierDown": "0.2",
            "avgPriceMins": 5,
        },
        {"filterType": "LOT_SIZE", "minQty": "0.001", "maxQty": "100000", "stepSize": "0.001"},
        {
            "filterType": "MIN_NOTIONAL",
            "minNotional": "0.0001",
            "applyToMarket": True,
            "avgPriceMins": 5,
        },
    ],
}


def test_parse_symbol_reads_wire_keys_and_skips_unknown_filters() -> None:
    parsed = binance.parse_symbol(BINANCE_EXCHANGE_INFO["BTCUSDT"])
    rules = parsed.rules

    assert (parsed.symbol, parsed.base_asset, parsed.quote_asset) == ("BTCUSDT", "BTC", "USDT")
    assert rules.price_filter.tick_size == D("0.01")
    assert rules.lot_size.step_size == D("0.00001")
    assert rules.market_lot_size is not None
    assert rules.market_lot_size.step_size == 0
    assert rules.notional is not None
    assert rules.notional.apply_min_to_market is True
    assert rules.notional.max_notional == D(9_000_000)
    assert rules.percent_price_by_side is not None
    assert rules.percent_price_by_side.ask_multiplier_down == D("0.2")
    assert rules.min_notional is None


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda s: s["filters"].pop(1), "lot_size"),
        (lambda s: s["filters"][0].update(minPrice="abc"), r"price_filter\.minPrice"),
        (lambda s: s.pop("baseAsset"), "baseAsset"),
        (lambda s: s.update(filters=None), "BTCUSDT"),
    ],
)
def test_malformed_exchange_info_is_a_data_error(mutate: Any, message: str) -> None:
    info = deepcopy(BINANCE_EXCHANGE_INFO["BTCUSDT"])
    mutate(info)

    with pytest.raises(DataError, match=message):
        binance.parse_symbol(info)


def _failure(
    info: dict[str, Any],
    side: OrderSide,
    quantity: str,
    price: str | None,
    reference: str | None = None,
) -> str | None:
    rejection = binance.validate_order(
        binance.parse_symbol(info).rules,
        side=side,
        quantity=D(quantity),
        price=None if price is None else D(price),
        reference_price=None if reference is None else D(reference),
    )
    if rejection is None:
        return None
    assert rejection.code == "-1013"
    return rejection.message


@pytest.mark.parametrize(
    ("side", "quantity", "price", "reference", "message"),
    [
        (BUY, "0.001", "60000.00", None, None),
        (BUY, "0.001", "60000.001", None, "Filter failure: PRICE_FILTER"),
        (BUY, "0.001", "0.001", None, "Filter failure: PRICE_FILTER"),
        (SELL, "0.001", "1000000.01", None, "Filter failure: PRICE_FILTER"),
        (BUY, "0.000001", "60000", None, "Filter failure: LOT_SIZE"),
        (BUY, "0.000015", "60000", None, "Filter failure: LOT_SIZE"),
        (SELL, "9000.00001", "60000", None, "Filter failure: LOT_SIZE"),
        (BUY, "0.00005", "60000", None, "Filter failure: NOTIONAL"),  # 3 USDT < 5
        (BUY, "0.0001", "50000", None, None),  # exactly 5 USDT
        (BUY, "200", "60000", None, "Filter failure: NOTIONAL"),  # above maxNotional
        (BUY, "90", None, None, "Filter failure: MARKET_LOT_SIZE"),
        (BUY, "0.00005", None, "60000", "Filter failure: NOTIONAL"),  # applyMinToMarket
        (SELL, "80", None, "200000", None),  # applyMaxToMarket is false
        (BUY, "0.001", "400000", "60000", "Filter failure: PERCENT_PRICE_BY_SIDE"),
        (SELL, "0.001", "11000", "60000", "Filter failure: PERCENT_PRICE_BY_SIDE"),
        (BUY, "0.001", "12000", "60000", None),  # exactly 0.2x
        (SELL, "0.001", "300000", "60000", None),  # exactly 5x
    ],
)
def test_btcusdt_filter_failures(
    side: OrderSide, quantity: str, price: str | None, reference: str | None, message: str | None
) -> None:
    assert _failure(BINANCE_EXCHANGE_INFO["BTCUSDT"], side, quantity, price, reference) == message


@pytest.mark.parametrize(
    ("quantity", "price", "reference", "apply_to_market", "message"),
    [
        ("0.01", "0.004", None, True, "Filter failure: MIN_NOTIONAL"),
        ("1", "0.03", "0.004", True, "Filter failure: PERCENT_PRICE"),
        ("1", "0.0007", "0.004", True, "Filter failure: PERCENT_PRICE"),
        ("0.01", None, "0.004", True, "Filter failure: MIN_NOTIONAL"),
        ("0.01", None, "0.004", False, None),
        ("0.1", "0.004", "0.004", True, None),
    ],
)
def test_legacy_min_notional_and_percent_price_filters(
    quantity: str, price: str | None, reference: str | None, apply_to_market: bool, message: str
) -> None:
    info = deepcopy(LEGACY_SYMBOL)
    info["filters"][3]["applyToMarket"] = apply_to_market

    assert _failure(info, BUY, quantity, price, reference) == message


def test_failure_detail_says_which_value_broke_which_limit() -> None:
    rejection = binance.validate_order(
        binance.parse_symbol(BINANCE_EXCHANGE_INFO["ETHUSDT"]).rules,
        side=BUY,
        quantity=D("0.00015"),
        price=D("3000"),
    )

    assert rejection is not None
    assert "stepSize" in rejection.detail
    assert str(rejection) == (
        "[BINANCE -1013] Filter failure: LOT_SIZE: quantity 0.00015 is not on the stepSize "
        "0.00010000 grid"
    )


def test_default_fees_are_taken_from_what_the_trade_delivers() -> None:
    fees = binance.fees()

    def fee_for(side: OrderSide, liquidity: LiquiditySide) -> tuple[Decimal, str]:
        fee = fees.fee(
            side=side,
            price=D(60_000),
            quantity=D("0.5"),
            liquidity=liquidity,
            base_asset="BTC",
            quote_currency="USDT",
        )
        return fee.amount, fee.currency

    assert fee_for(BUY, LiquiditySide.TAKER) == (D("0.0005"), "BTC")
    assert fee_for(SELL, LiquiditySide.MAKER) == (D(30), "USDT")


def test_bnb_discount_cuts_a_quarter_and_values_the_fee_in_quote() -> None:
    fees = binance.fees(maker_rate=D("0.0002"), bnb_discount=True)

    buy = fees.fee(
        side=BUY,
        price=D(60_000),
        quantity=D("0.5"),
        liquidity=LiquiditySide.TAKER,
        base_asset="BTC",
        quote_currency="USDT",
    )

    assert fees.fee_asset is FeeAsset.QUOTE
    assert fees.maker_rate == D("0.00015")
    assert (buy.amount, buy.currency) == (D("22.5"), "USDT")
