"""Lecture tools: presentation mode, export of the animation, copy as code."""
