"""The HTTP, HTML and WebSocket edge. The only layer that imports FastAPI."""
