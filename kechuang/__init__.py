"""Kechuang (科创): the management platform of a district Science and Technology Bureau."""

__version__ = "0.1.0"
