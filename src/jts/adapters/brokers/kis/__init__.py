"""Korea Investment & Securities (KIS Developers) Open API: REST + WebSocket, real and paper."""
