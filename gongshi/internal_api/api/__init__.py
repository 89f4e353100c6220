"""The internal API under /api/v1: one module per resource, over the feature services."""
