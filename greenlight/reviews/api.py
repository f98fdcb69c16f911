"""API of the reviews app."""

from ninja import Router

router = Router(tags=["reviews"])
