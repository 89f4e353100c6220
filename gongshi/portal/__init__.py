"""The public portal (issue 4): search, disclosures, open data, agency directory, request forms."""
