"""API of the analytics app."""

from ninja import Router

router = Router(tags=["analytics"])
