"""`make bench`: the service measured under gunicorn, as its users would feel it (docs/performance.md)."""
