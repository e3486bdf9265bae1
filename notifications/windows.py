"""How far back an overdue check looks (ADR 24): a date that came longer ago than this was told of by an
earlier run, or is on the lead's "For review" already; not looking further keeps each run's work bounded."""

from datetime import timedelta

LOOK_BACK = timedelta(days=31)
