"""Greenlight's pure scheduling engine: no Django here; `now` and the calendar are passed in."""
