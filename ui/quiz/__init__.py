"""The Knowledge check page's screens: the menu and progress, a question at a time, the exam's review
screen and the results. ``flow`` holds what the buttons do; the others draw."""
