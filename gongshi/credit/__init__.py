"""Credit platforms (双公示, issue 15): export to and import from the national templates."""
