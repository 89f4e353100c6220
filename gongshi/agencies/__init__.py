"""The agency directory (Art 9 事前公开), its update rule, statistics and annual reports (Art 17)."""
