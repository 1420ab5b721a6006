"""Widgets shared by the screens: the grid view, channel stacks, the job runners."""
