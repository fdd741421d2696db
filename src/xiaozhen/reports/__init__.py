"""What xiaozhen publishes: the yearly report's data (`report`) and its formats (`render_report`,
`report_docx`, `report_schema`), every other command's output (`render`), the SQLite export
(`database`) and its Datasette (`serve`), and the worked sample year (`demo`)."""
