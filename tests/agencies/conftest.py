"""Portal fixtures shared with tests/portal (a published-through-the-workflow publisher, portal clients)."""

from tests.portal.conftest import make_portal, portal, publisher  # noqa: F401
