"""Evaluation of decom: labelled datasets, metrics and runners."""
