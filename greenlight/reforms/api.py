"""API of the reforms app."""

from ninja import Router

router = Router(tags=["reforms"])
