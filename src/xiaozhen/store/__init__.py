"""The registry file on disk: where it is, reading and checking it (`registry`), an edit's round trip of
the towns it changes (`roundtrip`), one writer at a time (`locking`), the read cache (`cache`), a
registry from a git revision (`revisions`), and a dry run's diff (`diff`)."""
