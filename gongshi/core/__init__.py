"""Core services every feature uses: the workflow context, the audit chain, the calendar, the outbox."""
