"""API of the tickets app."""

from ninja import Router

router = Router(tags=["tickets"])
