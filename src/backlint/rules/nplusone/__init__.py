"""BL941 query-in-loop: queries run once per row of a loop over a query result."""
