"""BL721 missing-timeout: outbound calls that can wait forever."""
