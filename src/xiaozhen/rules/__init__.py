"""What a registry must satisfy: the schema and the notice's rules over parsed data (`check`), and the
national norms' rulebooks (`norms`). Pure functions from data to located problems."""
