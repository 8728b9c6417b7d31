"""BL891 hardcoded-secret: secrets written in the source or in config files."""
