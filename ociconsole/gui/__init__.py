"""The PySide6 GUI: thin Qt views over the catalog, the service layer and tracked operations.
Every Qt import goes through `gui.qt`."""
