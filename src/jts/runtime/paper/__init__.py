"""Paper trading: the simulated exchange behind the ``BrokerGateway`` port, with accounts that
persist across restarts (``PaperBroker``)."""

from jts.runtime.paper.broker import PaperBroker

__all__ = ["PaperBroker"]
