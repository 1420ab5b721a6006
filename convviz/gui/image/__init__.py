"""The image mode: a user's picture filtered on both paths, the region lesson, saving."""
