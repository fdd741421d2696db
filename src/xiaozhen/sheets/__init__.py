"""Spreadsheets in and out: workbooks read within a budget (`workbooks`), an assessor's results
(`imports`), the fill-in forms (`forms`: written by `form_writer`, read back by `form_reader`, merged by
`form_merge`) and a new batch's applications (`applications`)."""
