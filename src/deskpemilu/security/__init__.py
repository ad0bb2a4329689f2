"""Security tests across the whole application (no models, no app: tests only)."""
