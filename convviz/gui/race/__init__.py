"""The race: one core, this machine's cores and a GPU on one clock (:mod:`convviz.core.race`)."""
