"""Scoring presswatch against labelled data, in each corpus's own metric."""
