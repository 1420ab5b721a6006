"""The lesson screen: the sliding window, its playback, the parameters and the lanes."""
