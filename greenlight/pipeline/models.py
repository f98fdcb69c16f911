"""Models of the pipeline app."""
