"""The analyst's report and the status summary: pure rendering of records read from the
warehouse (warehouse/report_data.py).

- `transforms.report.data`: the records (ReportData, StatusData and their parts);
- `transforms.report.html.render_report`: one self-contained HTML document;
- `transforms.report.charts`: its Vega-Lite charts (altair);
- `transforms.report.status.status_renderables`: the rich tables of `newswire status`.

Nothing is imported here, so `newswire status` does not pay for altair.
"""
