"""The desk's reports, built on the server: today's Laporan Harian (PDF: `daily`, its sections in
`sections`), the recap of a kecamatan (PDF: `recap`) and the situation's lists (XLSX: `workbook`).

Each report is built from a data dict first (`daily_report_data`, `kecamatan_recap_data`), and
the PDF is drawn from that dict only, so a test can compare the dict with the API and then find
its figures in the PDF's text.
"""
