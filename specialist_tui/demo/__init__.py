"""Deterministic demo data: Qinghai's budget units with filings, orders, calls and tickets."""

from specialist_tui.demo.builder import DemoData, generate

__all__ = ["DemoData", "generate"]
