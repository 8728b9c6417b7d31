"""BL971 swallowed-exception: broad excepts that hide failures in handlers, tasks and commands."""
