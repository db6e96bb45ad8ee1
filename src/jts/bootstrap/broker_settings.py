"""Broker sections of the settings: one model per venue, chosen by ``kind``.

``brokers`` in ``jts.yaml`` maps a lower-case name to one of these, e.g.::

    brokers:
      upbit:
        kind: upbit
        access_key: ...        # or JTS_BROKERS__UPBIT__ACCESS_KEY
        secret_key: ...        # or JTS_BROKERS__UPBIT__SECRET_KEY

Credentials are ``SecretStr``: required, never empty, shown as ``**********``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator

from jts.bootstrap.settings_sections import FrozenConfig

Secret = Annotated[SecretStr, Field(min_length=1)]

_ACCOUNT_NO = re.compile(r"^\d{8}-\d{2}$")
_CURRENCY = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
_VENUE = re.compile(r"^[A-Z][A-Z0-9_]*$")


class SimulatedBrokerConfig(FrozenConfig):
    """The simulated exchange (backtests and paper trading): no credentials."""

    kind: Literal["simulated"] = "simulated"
    venue: str = "SIM"
    starting_cash: dict[str, Decimal] = Field(default_factory=lambda: {"KRW": Decimal(100_000_000)})

    @field_validator("venue")
    @classmethod
    def _venue_is_upper_case(cls, venue: str) -> str:
        if not _VENUE.match(venue):
            raise ValueError("must be an upper-case name such as SIM, KRX or UPBIT")
        return venue

    @field_validator("starting_cash")
    @classmethod
    def _cash_is_valid(cls, cash: dict[str, Decimal]) -> dict[str, Decimal]:
        for currency, amount in cash.items():
            if not _CURRENCY.match(currency):
                raise ValueError(
                    f"currency {currency!r} must be an upper-case code such as KRW, USDT or BTC"
                )
            if not amount.is_finite() or amount < 0:
                raise ValueError(f"starting cash in {currency} must be a number >= 0")
        return cash


class KisConfig(FrozenConfig):
    """Korea Investment & Securities Open API; paper (모의투자) and real use different keys."""

    kind: Literal["kis"] = "kis"
    app_key: Secret
    app_secret: Secret
    account_no: str
    environment: Literal["real", "paper"] = "paper"
    hts_id: str | None = None

    @field_validator("account_no")
    @classmethod
    def _account_no_has_cano_and_product(cls, account_no: str) -> str:
        if not _ACCOUNT_NO.match(account_no):
            raise ValueError(
                "must be the 8-digit account number, a dash and the 2-digit "
                "product code, e.g. 12345678-01"
            )
        return account_no


class CreonConfig(FrozenConfig):
    """Daishin Creon Plus, reached through the Windows bridge (services/creon_bridge)."""

    kind: Literal["creon"] = "creon"
    bridge_url: str
    token: Secret

    @field_validator("bridge_url")
    @classmethod
    def _bridge_url_is_http(cls, url: str) -> str:
        if not url.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL, e.g. http://192.168.0.10:8765")
        return url.rstrip("/")


class BinanceConfig(FrozenConfig):
    """Binance spot; ``testnet`` points at testnet.binance.vision."""

    kind: Literal["binance"] = "binance"
    api_key: Secret
    api_secret: Secret
    testnet: bool = False


class UpbitConfig(FrozenConfig):
    """Upbit (KRW, BTC and USDT markets)."""

    kind: Literal["upbit"] = "upbit"
    access_key: Secret
    secret_key: Secret


BrokerConfig = Annotated[
    SimulatedBrokerConfig | KisConfig | CreonConfig | BinanceConfig | UpbitConfig,
    Field(discriminator="kind"),
]

REAL_BROKER_CONFIGS = (KisConfig, CreonConfig, BinanceConfig, UpbitConfig)
