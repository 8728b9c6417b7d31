"""BL961 http-semantics: writes in safe-method handlers, error bodies with status 200, creations answered with 200."""
