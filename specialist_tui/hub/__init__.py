"""The hub: a regional service center's shared store, served over HTTP (FastAPI + uvicorn)."""
