"""Upbit KRW market: REST (Quotation and Exchange groups) and public/private WebSocket."""
