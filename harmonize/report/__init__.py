"""Writers for alignment results: CSV and Markdown tables, and the committee gap report."""
