"""What xiaozhen publishes: the yearly report's data (`report`, its layout and JSON Schema in
`report_layout`), its tables (`report_tables`) and its formats (`render_report`, `report_html`,
`report_docx`), every other command's output
(`render`, and `terminal` for people), the SQLite export (`database`) and its Datasette (`serve`), and
the worked sample year (`demo`)."""
