"""Alignment: coverage of obligations per country, penalty comparison, extradition analysis."""
