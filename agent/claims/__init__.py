"""Claims: the podcast's quantitative claims checked with the calculators, their report and CLI."""
