"""Greenlight: parallel approval of fixed-asset investment projects."""
