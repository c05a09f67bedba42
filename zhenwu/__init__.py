"""Zhenwu (镇务): rural-revitalisation work platform for a Chinese township."""

__version__ = "0.1.0"
