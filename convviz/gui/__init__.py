"""The desktop app (PySide6 + pyqtgraph). Owns no numerics: see convviz.core."""
