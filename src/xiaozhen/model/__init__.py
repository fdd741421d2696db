"""What a registry is, in memory: the notice's vocabulary (`terms`), the pydantic schema (`schema`), a
town's values by field name (`fields`), its history replayed (`history`), and registry text parsed into
data with the place of every key (`parse`). Depends only on the modules at the package's top."""
