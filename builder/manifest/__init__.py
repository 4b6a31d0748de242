"""Manifest emitters, one module per format, built with lxml from the parsed course."""
