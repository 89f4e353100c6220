"""The publication workflow: intake, review, scheduled publication, withdrawal, correction, expiry."""
