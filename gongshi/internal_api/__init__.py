"""The internal API and staff console: agency systems push decisions, reviewers act on them."""

from gongshi.internal_api.app import create_app

__all__ = ["create_app"]
