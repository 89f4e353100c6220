"""The record of truth: SQLAlchemy models, engine set-up and Alembic migrations."""
