"""sql-antipattern (BL911): SQL that is unsound as SQL, in strings the application sends and in `.sql` files."""
