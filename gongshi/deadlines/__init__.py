"""The deadline board: what is due per agency across features, and the alerts it raises."""
