"""Parties and the public (issue 5): access requests, correction requests, rulings, notifications."""
