"""The demo data: one command (`manage.py seed_demo`) running each app's demo step in order.

It sits above every app (like the root URLconf): it imports their demo modules; nothing imports it.
"""
