"""Live updates: a hub relays change events; rooms render and fan out fragments."""
