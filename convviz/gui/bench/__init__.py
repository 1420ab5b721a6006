"""The benchmark window: the size sweep, its curves and sentences."""
