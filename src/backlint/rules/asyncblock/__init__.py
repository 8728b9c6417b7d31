"""BL901: blocking calls in async functions (rules/asyncblock.yaml)."""
