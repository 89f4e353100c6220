"""Who is acting: bearer tokens for systems, passwords and sessions for the console, and roles."""
