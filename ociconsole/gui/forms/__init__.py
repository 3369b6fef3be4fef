"""Widget layouts generated from the Qt Designer files in the top-level ui/ directory.

Do not edit the ui_*.py modules: change ui/<name>.ui in Qt Designer (`pyside6-designer`)
and run `python ui/compile.py`. Dialogs whose fields come from the catalog (creation and
action forms) are built in code instead; these are the fixed ones.
"""
