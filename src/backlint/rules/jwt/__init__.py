"""BL801: JWTs decoded without verification (rules/jwt.yaml)."""
