"""Every write to judging: preparing it (`preparation`: the rubric, rooms, panels,
conflicts and assignments) and the judges' scores (`scoring`)."""
