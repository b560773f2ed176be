"""Deterministic demo data: Qinghai's budget units with filings, orders, calls and tickets."""

from specialist_tui.demo.builder import DEMO_USER, DemoData, generate, stream

__all__ = ["DEMO_USER", "DemoData", "generate", "stream"]
