"""CSP Dashboard core: ingest, analysis and the command line. Never imports Streamlit."""

__version__ = "0.1.0"
