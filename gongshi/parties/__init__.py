"""Parties and the public (issue 5): access requests, correction requests, rulings, notifications.

Importing the package registers its workflow steps (gongshi/core/steps.py).
"""

from gongshi.parties import access as _access  # noqa: F401  (registers store_party_key)
