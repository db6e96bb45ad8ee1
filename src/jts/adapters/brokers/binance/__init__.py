"""Binance Spot: REST, market streams and the WebSocket API (production, testnet, demo)."""
